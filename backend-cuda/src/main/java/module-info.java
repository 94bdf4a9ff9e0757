/**
 * The CUDA backend ("cuda") on JCuda's driver API, found through
 * {@link dev.weft.spi.BackendProvider}; it exports nothing, since users reach it as
 * {@code Device.of("cuda")}. JCuda is an automatic module named after its jar ({@code jcuda}:
 * the jar declares no module name); its JNI library comes from the {@code jcuda-natives} jar and
 * is loaded, with the NVIDIA driver's {@code libcuda.so.1}, only when the provider probes.
 */
@SuppressWarnings("requires-automatic")
module dev.weft.backend.cuda {
    requires dev.weft;
    requires com.google.common;
    requires jcuda;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.cuda.CudaProvider;
}
