package dev.weft.backend.opencl;

/**
 * An OpenCL call failed on the device: a launch the driver refused, a device lost mid-run, a
 * transfer that could not complete. The message names the operation (and the kernel, for
 * launches), the OpenCL error by name and what to try; {@link #errorCode()} is the raw
 * {@code CL_*} code. Build failures are {@link dev.weft.KernelCompileException}s and allocation
 * failures {@link dev.weft.DeviceOutOfMemoryException}s instead.
 */
public class OpenClException extends RuntimeException {
    private final int errorCode;

    public OpenClException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The {@code CL_*} error code the driver returned (negative). */
    public int errorCode() {
        return errorCode;
    }

    /** The error code's name, such as {@code CL_OUT_OF_RESOURCES}. */
    public String errorName() {
        return OpenClErrors.name(errorCode);
    }
}
