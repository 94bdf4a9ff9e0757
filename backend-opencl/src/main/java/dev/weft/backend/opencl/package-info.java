/**
 * The OpenCL backend, on JOCL: the runtime (devices, buffers, builds, launches, {@code gemm});
 * the OpenCL C renderer of the core's lowered kernels joins it with issue 15.
 *
 * <p>{@link dev.weft.backend.opencl.OpenClProvider} finds the devices of every platform
 * ({@code OpenClDiscovery}: GPUs first, then accelerators, then CPU devices such as PoCL;
 * platform order, then device order) and opens a {@link dev.weft.backend.opencl.OpenClBackend}:
 * a context and an in-order queue on one device. Data flow: the core allocates
 * {@code OpenClBuffer}s and copies host segments in and out ({@code OpenClTransfers}); a renderer
 * turns kernels into {@link dev.weft.backend.opencl.OpenClSource}s (entry name, OpenCL C,
 * work-group size), which {@code OpenClCompiler} builds many at a time as one program and caches
 * by their hash, device and driver; a launch sets the parameter block (argument 0, one 64-bit
 * word per value) and the buffer arguments that changed and queues the
 * {@link dev.weft.backend.opencl.OpenClKernel}; results come back through {@code copyOut}.
 * Tensor-mode {@code gemm} is hand-written OpenCL C ({@code gemm.cl}, {@code OpenClGemm}).
 *
 * <p>Exactness (DESIGN.md "Numbers"): builds use {@code -cl-fp32-correctly-rounded-divide-sqrt}
 * and nothing that relaxes IEEE arithmetic; every program starts with {@code #pragma OPENCL
 * FP_CONTRACT OFF}; F16 lives in memory only ({@code vload_half}/{@code vstore_half_rte}), so
 * devices without {@code cl_khr_fp16} work; a device without {@code cl_khr_fp64} opens and
 * refuses F64 work with an error that names it. Failures: a build that fails is a
 * {@link dev.weft.KernelCompileException} (source and log), an allocation without room a
 * {@link dev.weft.DeviceOutOfMemoryException}, any other failed OpenCL call an
 * {@link dev.weft.backend.opencl.OpenClException} naming the operation, the kernel(s) and the
 * {@code CL_*} error.
 */
package dev.weft.backend.opencl;
