package dev.weft.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device pointer whose address Weft can read: kernels take their buffers' addresses in the
 * parameter block, and JCuda keeps a pointer's value in a protected field. {@code cuMemAlloc}
 * fills it like any {@link CUdeviceptr}.
 */
final class CudaPointer extends CUdeviceptr {
    /** The device address (unified addressing: valid in every kernel of the context). */
    long address() {
        return getNativePointer() + getByteOffset();
    }
}
