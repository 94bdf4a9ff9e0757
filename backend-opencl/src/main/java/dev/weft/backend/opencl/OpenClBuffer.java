package dev.weft.backend.opencl;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import org.jocl.cl_mem;

/**
 * Device memory: a {@code cl_mem} of {@code count} elements in the SPI's layout (little-endian,
 * BOOL one byte 0/1, F16 as half bits). Its size is rounded up to whole 8-byte words, so that a
 * kernel's 32-bit compare-and-swap on the word holding the last F16 or BOOL element stays inside
 * the buffer, and an empty buffer still exists.
 */
final class OpenClBuffer implements BufferHandle {
    private final DType dtype;
    private final long count;
    final long bytes;
    final cl_mem memory;
    /** The backend that made it, to reject buffers of another device or a closed one. */
    final OpenClBackend owner;
    boolean freed;

    OpenClBuffer(DType dtype, long count, long bytes, cl_mem memory, OpenClBackend owner) {
        this.dtype = dtype;
        this.count = count;
        this.bytes = bytes;
        this.memory = memory;
        this.owner = owner;
    }

    /** The bytes a buffer of {@code count} elements takes: whole 8-byte words, at least one. */
    static long bytesFor(DType dtype, long count) {
        return Math.max(8, Math.addExact(Math.multiplyExact(count, dtype.bytes()), 7) & ~7L);
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
