package dev.weft.spi;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.KernelCompileException;
import dev.weft.ir.Op;
import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * One opened device. The core talks to devices only through this interface: it allocates
 * buffers (through its caching allocator), compiles {@link Kernel}s and launches them over N
 * lanes. Implementations are mechanical: scheduling, lowering and fusion happen in the core.
 *
 * <p>Calls come from one thread at a time (the core's evaluation lock). Offsets and counts are
 * in elements. Host data travels as {@link MemorySegment}s (heap or native) in the buffer's
 * memory layout: little-endian, BOOL one byte, F16 as IEEE half bits.
 */
public interface Backend extends AutoCloseable {
    /** The provider's name, e.g. "reference". */
    String name();

    /** A line describing the device, for {@code weft doctor} ("PoCL, AMD EPYC, 2 compute units"). */
    String description();

    /**
     * The ops this backend implements natively beyond the mandatory set; the core lowers every
     * {@link Op#lowerable() lowerable} op that is missing here before the backend sees a kernel.
     */
    Set<Op> capabilities();

    /**
     * Allocates {@code count} elements of {@code dtype}; contents undefined.
     *
     * @throws DeviceOutOfMemoryException when the device has no room (the core then empties its
     *     cache, collects garbage and retries once)
     */
    BufferHandle alloc(DType dtype, long count);

    /** Releases a buffer; it is never used again. */
    void free(BufferHandle buffer);

    /** Copies {@code src.byteSize() / dtype.bytes()} elements from the host into {@code dst} at {@code dstOffset}. */
    void copyIn(BufferHandle dst, long dstOffset, MemorySegment src);

    /** Copies {@code dst.byteSize() / dtype.bytes()} elements from {@code src} at {@code srcOffset} to the host. */
    void copyOut(BufferHandle src, long srcOffset, MemorySegment dst);

    /** Sets {@code count} elements from {@code offset} to the value with the given canonical bits. */
    void fill(BufferHandle dst, long offset, long count, long bits);

    /**
     * Compiles a kernel (render and build, or prepare an interpreter).
     *
     * @throws KernelCompileException with the generated source and the compiler's log
     */
    Program compile(Kernel kernel);

    /**
     * Runs a program over lanes {@code 0..n-1}.
     *
     * @param buffers one per {@link Kernel#slots() slot}, in order
     * @param params the canonical bits of each {@link Kernel#params() parameter}, in order
     */
    void launch(Program program, BufferHandle[] buffers, long[] params, long n);

    /**
     * Batched matrix product {@code C[i] = op(A[i]) * op(B[i])} for {@code i < batch}, with
     * {@code op(A)} of shape M x K and {@code op(B)} of shape K x N, all row-major and contiguous
     * (batch strides M*K, K*N, M*N), sums accumulated in F32 (F64 for F64) and rounded once per
     * output. {@code transA} means A is stored K x M.
     */
    void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
              BufferHandle a, long aOffset, BufferHandle b, long bOffset, BufferHandle c, long cOffset,
              DType dtype);

    /**
     * The layout hook for packed network weights: a backend may keep a private tiled copy of a
     * packed weight buffer. The default keeps the buffer as it is.
     *
     * @return the buffer to use in kernels in place of {@code packed}
     */
    default BufferHandle packLayout(BufferHandle packed) {
        return packed;
    }

    /** Waits until all launched work has finished. */
    void synchronize();

    /** Releases the device; idempotent. Buffers of a closed backend must not be used. */
    @Override
    void close();
}
