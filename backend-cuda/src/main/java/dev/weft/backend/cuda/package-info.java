/**
 * The CUDA backend. For now only {@link dev.weft.backend.cuda.CudaProvider}, a placeholder that
 * reports itself unavailable until a later issue fills this package.
 *
 * <p>What will live here: a PTX renderer and a JCuda driver-API runtime
 * ({@code cuModuleLoadDataEx}, {@code cuLaunchKernel}), so that only the NVIDIA driver is needed
 * at run time (GPU.md).
 *
 * <p>Data flow: kernels come from the core's scheduler through the SPI ({@code dev.weft.spi});
 * they are rendered to PTX text here, loaded by the driver and launched on device buffers;
 * results go back to the core through {@code copyOut}.
 */
package dev.weft.backend.cuda;
