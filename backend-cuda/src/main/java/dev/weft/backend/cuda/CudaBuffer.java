package dev.weft.backend.cuda;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory: {@code count} elements in the SPI's layout (little-endian, BOOL one byte 0/1, F16
 * as half bits) from {@code cuMemAlloc}. Its size is rounded up to whole 8-byte words, so that a
 * kernel's 32-bit compare-and-swap on the word holding the last F16 or BOOL element stays inside
 * the buffer, and an empty buffer still exists (CUDA refuses a zero-byte allocation).
 */
final class CudaBuffer implements BufferHandle {
    private final DType dtype;
    private final long count;
    final long bytes;
    final CudaPointer pointer;
    /** The backend that made it, to reject buffers of another device or a closed one. */
    final CudaBackend owner;
    boolean freed;

    CudaBuffer(DType dtype, long count, long bytes, CudaPointer pointer, CudaBackend owner) {
        this.dtype = dtype;
        this.count = count;
        this.bytes = bytes;
        this.pointer = pointer;
        this.owner = owner;
    }

    /** The bytes a buffer of {@code count} elements takes: whole 8-byte words, at least one. */
    static long bytesFor(DType dtype, long count) {
        return Math.max(8, Math.addExact(Math.multiplyExact(count, dtype.bytes()), 7) & ~7L);
    }

    /** The device address of element 0. */
    long address() {
        return pointer.address();
    }

    /** A pointer {@code byteOffset} bytes into the buffer. */
    CUdeviceptr at(long byteOffset) {
        return pointer.withByteOffset(byteOffset);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public String toString() {
        return count + " x " + dtype;
    }
}
