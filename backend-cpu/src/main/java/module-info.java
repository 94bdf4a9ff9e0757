/**
 * The CPU backend ("cpu"): kernels as Vector API loops over chunks of lanes on a worker pool.
 * Found through {@link dev.weft.spi.BackendProvider}; it exports nothing, since users reach it
 * as {@code Device.of("cpu")}. On the module path this module brings in
 * {@code jdk.incubator.vector} by itself; on the class path the JVM needs
 * {@code --add-modules jdk.incubator.vector}, or the provider's probe says so.
 */
module dev.weft.backend.cpu {
    requires dev.weft;
    requires com.google.common;
    requires jdk.incubator.vector;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.cpu.CpuProvider;
}
