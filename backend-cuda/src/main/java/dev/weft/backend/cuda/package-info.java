/**
 * The CUDA backend, on JCuda's driver API: the runtime (devices, buffers, PTX modules, launches,
 * {@code gemm}); the PTX renderer of the core's lowered kernels joins it with issue 17.
 *
 * <p>{@link dev.weft.backend.cuda.CudaProvider} loads JCuda and the NVIDIA driver
 * ({@code CudaDiscovery}: "no CUDA driver (libcuda.so.1 not found)", "no device", or the devices
 * in driver order, which is {@code cuda:index}) and opens a
 * {@link dev.weft.backend.cuda.CudaBackend}: the device's primary context and one stream. Data
 * flow: the core allocates {@code CudaBuffer}s and copies host segments in (queued, through
 * pinned staging memory) and out (waiting) with {@code CudaTransfers}; a renderer turns kernels
 * into {@link dev.weft.backend.cuda.CudaSource}s (entry name, PTX without the module header, block
 * size), which {@code CudaCompiler} loads many at a time as one module
 * ({@code cuModuleLoadDataEx}, with the JIT's logs) and caches by their hash; a launch fills the
 * kernel's one parameter block ({@code [n, params..., buffer addresses...]}, 64-bit words) and
 * queues the {@link dev.weft.backend.cuda.CudaKernel} on the stream; results come back through
 * {@code copyOut}. Tensor-mode {@code gemm} is PTX generated in {@code CudaGemm}.
 *
 * <p>Asynchronous: nothing but {@code copyOut} and {@code synchronize} waits for the device;
 * memory freed by the core goes back to the driver only once the stream has passed every use
 * queued before (and before a retry when the device is full). Exactness (DESIGN.md "Numbers"):
 * PTX states its rounding ({@code fma.rn}, {@code div.rn}, {@code sqrt.rn}, no {@code .ftz}), so
 * nothing in the build relaxes it. Failures: a module the driver refuses is a
 * {@link dev.weft.KernelCompileException} (the PTX and the JIT log), an allocation without room a
 * {@link dev.weft.DeviceOutOfMemoryException}, any other failed call a
 * {@link dev.weft.backend.cuda.CudaException} naming the operation, the kernel(s) and the
 * {@code CUDA_ERROR_*}; after a sticky error (a kernel that faulted) the backend refuses work.
 *
 * <p>{@code CudaSelfCheck} runs the runtime's checks ({@code CudaChecks}) on a GPU machine without
 * a build tool; the tests run the same checks on the real driver where there is one, and on a
 * fake driver everywhere else.
 */
package dev.weft.backend.cuda;
