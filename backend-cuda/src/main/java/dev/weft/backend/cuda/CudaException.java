package dev.weft.backend.cuda;

/**
 * A CUDA driver call failed on the device: a launch the driver refused, a kernel that faulted, a
 * device lost mid-run, a transfer that could not complete. The message names the operation (and
 * the kernel or kernels that may have caused it), the CUDA error by name and what to try;
 * {@link #errorCode()} is the raw {@code CUresult}. Build failures are
 * {@link dev.weft.KernelCompileException}s and allocation failures
 * {@link dev.weft.DeviceOutOfMemoryException}s instead.
 *
 * <p>After a {@linkplain #sticky() sticky} error the backend refuses further work: CUDA leaves
 * the context unusable for the rest of the process.
 */
public class CudaException extends RuntimeException {
    private final int errorCode;

    public CudaException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The {@code CUresult} the driver returned. */
    public int errorCode() {
        return errorCode;
    }

    /** The code's name, such as {@code CUDA_ERROR_ILLEGAL_ADDRESS}. */
    public String errorName() {
        return CudaErrors.name(errorCode);
    }

    /** Whether the context is unusable from now on (a kernel faulted: CUDA's sticky errors). */
    public boolean sticky() {
        return CudaErrors.isSticky(errorCode);
    }
}
