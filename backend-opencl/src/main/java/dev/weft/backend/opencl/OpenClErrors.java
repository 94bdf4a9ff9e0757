package dev.weft.backend.opencl;

import org.jocl.CL;

/**
 * OpenCL status codes as names and as exceptions. JOCL's exceptions stay off (they are a
 * process-wide switch); every call's status is checked here instead, so that each failure names
 * what Weft was doing.
 */
final class OpenClErrors {
    private OpenClErrors() {}

    /** {@code CL_OUT_OF_RESOURCES} for -5; the number itself for codes OpenCL does not define. */
    static String name(int code) {
        String name = CL.stringFor_errorCode(code);
        return name.startsWith("CL_") ? name : "OpenCL error " + code;
    }

    /** Throws an {@link OpenClException} naming {@code operation} unless {@code code} is {@code CL_SUCCESS}. */
    static void check(int code, String operation, Object device) {
        if (code != CL.CL_SUCCESS) {
            throw failure(code, operation, device);
        }
    }

    /** The exception for a failed call, with a hint for the codes that mean the device is gone or full. */
    static OpenClException failure(int code, String operation, Object device) {
        return new OpenClException(String.format("%s on %s failed: %s (%d)%s", operation, device, name(code), code,
                hint(code)), code);
    }

    /** Whether a code means that memory ran out (on the device or on the host side of the driver). */
    static boolean isOutOfMemory(int code) {
        return code == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL.CL_OUT_OF_RESOURCES
                || code == CL.CL_OUT_OF_HOST_MEMORY || code == CL.CL_INVALID_BUFFER_SIZE;
    }

    private static String hint(int code) {
        return switch (code) {
            case CL.CL_OUT_OF_RESOURCES, CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, CL.CL_OUT_OF_HOST_MEMORY ->
                    "; the device ran out of memory or resources, or was lost (a GPU reset, a kernel that ran past "
                            + "the driver's watchdog); free tensors, use smaller batches, or reopen the device";
            case CL.CL_INVALID_COMMAND_QUEUE, CL.CL_INVALID_CONTEXT, CL.CL_DEVICE_NOT_AVAILABLE ->
                    "; the device is no longer usable (lost or reset); close the Device and open it again";
            case CL.CL_INVALID_MEM_OBJECT -> "; a buffer was used after it was freed or after the device was closed";
            default -> "";
        };
    }
}
