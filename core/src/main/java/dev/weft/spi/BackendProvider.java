package dev.weft.spi;

/**
 * A backend's entry point, found through {@link java.util.ServiceLoader}. Constructing a
 * provider must be cheap and load no native library: that happens in {@link #probe()} and
 * {@link #open()}.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.weft.spi.BackendProvider}.
 */
public interface BackendProvider {
    /** The device name users write in {@code Device.of(name)}: "reference", "cpu", "opencl", "cuda". */
    String name();

    /**
     * The default order among available providers, highest first: CUDA 400, OpenCL GPU 300,
     * cpu 200, OpenCL on a CPU device 150, reference 100 (DESIGN.md "Backend SPI").
     *
     * <p>The core reads it only after {@link #probe()}, so it may depend on what the probe found
     * (the OpenCL provider ranks by the kind of its first device). Before the probe, a provider
     * reports its best case.
     */
    int priority();

    /**
     * Whether this backend can run here, and why not. May load native libraries; must catch
     * {@link LinkageError} and any exception and report it as a reason, never throw.
     */
    Availability probe();

    /**
     * Opens device {@code index} of this backend.
     *
     * @throws dev.weft.BackendUnavailableException if {@link #probe()} would say unavailable
     */
    Backend open(int index);
}
