package dev.weft.backend.cuda;

import jcuda.driver.CUresult;

/**
 * CUDA driver result codes as names and as exceptions. JCuda's exceptions stay off (they are a
 * process-wide switch); every call's result is checked here instead, so that each failure names
 * what Weft was doing. Names come from JCuda's Java table ({@link CUresult#stringFor}), which
 * needs no native library, so errors can be named even where the driver is missing.
 */
final class CudaErrors {
    private CudaErrors() {}

    /** {@code CUDA_ERROR_ILLEGAL_ADDRESS} for 700; "CUDA error N" for codes JCuda does not know. */
    static String name(int code) {
        String name = CUresult.stringFor(code);
        return name.startsWith("CUDA_") ? name : "CUDA error " + code;
    }

    /** Throws a {@link CudaException} naming {@code operation} unless {@code code} is {@code CUDA_SUCCESS}. */
    static void check(int code, String operation, Object device) {
        if (code != CUresult.CUDA_SUCCESS) {
            throw failure(code, operation, device);
        }
    }

    /** The exception for a failed call, with what the code means for the context and what to do. */
    static CudaException failure(int code, String operation, Object device) {
        return new CudaException(String.format("%s on %s failed: %s (%d)%s", operation, device, name(code), code,
                hint(code)), code);
    }

    /** Whether a code means that device memory (or the driver's host memory) ran out. */
    static boolean isOutOfMemory(int code) {
        return code == CUresult.CUDA_ERROR_OUT_OF_MEMORY;
    }

    /**
     * Whether a code is one of CUDA's "sticky" errors: a kernel faulted and the context is
     * corrupted; every later call in this process returns the same error, and only a new process
     * gets a usable context (the CUDA runtime documentation of each code says so).
     */
    static boolean isSticky(int code) {
        return switch (code) {
            case CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, CUresult.CUDA_ERROR_LAUNCH_TIMEOUT, CUresult.CUDA_ERROR_ASSERT,
                 CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR, CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION,
                 CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE,
                 CUresult.CUDA_ERROR_INVALID_PC, CUresult.CUDA_ERROR_LAUNCH_FAILED,
                 CUresult.CUDA_ERROR_ECC_UNCORRECTABLE, CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED -> true;
            default -> false;
        };
    }

    private static String hint(int code) {
        if (isSticky(code)) {
            return "; this is a sticky CUDA error: the device's context is unusable for the rest of this process "
                    + "(CUDA allows no recovery), so restart the program; to find the faulting access, run it under "
                    + "compute-sanitizer";
        }
        return switch (code) {
            case CUresult.CUDA_ERROR_OUT_OF_MEMORY -> "; the device is full: free tensors, use smaller batches, or a "
                    + "device with more memory";
            case CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES -> "; the kernel needs more registers or shared memory "
                    + "per block than the device has for this block size; the context is still usable";
            case CUresult.CUDA_ERROR_INVALID_VALUE -> "; the driver refused the arguments; the context is still usable";
            case CUresult.CUDA_ERROR_INVALID_CONTEXT, CUresult.CUDA_ERROR_DEINITIALIZED ->
                    "; the context is gone (the device was reset or closed); open the device again";
            default -> "";
        };
    }
}
