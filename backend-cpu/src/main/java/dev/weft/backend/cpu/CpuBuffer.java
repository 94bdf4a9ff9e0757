package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CPU device memory: an off-heap segment, 64-byte aligned, in the SPI's memory layout
 * (little-endian, BOOL one byte 0/1, F16 as half bits). Besides plain element access it offers
 * the read-modify-write updates of general scatters as compare-and-set loops, so that lanes on
 * several worker threads can update one element without losing an update.
 */
final class CpuBuffer implements BufferHandle {
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Aligned views for atomic updates (elements are naturally aligned in a 64-byte aligned segment). */
    private static final VarHandle ATOMIC_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle ATOMIC_LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final DType dtype;
    private final long count;
    private final Arena arena;
    final MemorySegment memory;

    CpuBuffer(DType dtype, long count) {
        this.dtype = dtype;
        this.count = count;
        this.arena = Arena.ofShared();
        // at least one word, so that sub-word atomics on the last element stay inside the segment
        long bytes = Math.max(8, (count * dtype.bytes() + 7) & ~7L);
        try {
            this.memory = arena.allocate(bytes, 64);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long count() {
        return count;
    }

    void release() {
        arena.close();
    }

    /** Element {@code i} as canonical bits (see {@link ScalarOps}). */
    long get(long i) {
        return switch (dtype) {
            case BOOL -> memory.get(BYTE, i) != 0 ? 1 : 0;
            case F16 -> memory.get(SHORT, i * 2) & 0xFFFFL;
            case F32, I32 -> memory.get(INT, i * 4);
            case U32 -> memory.get(INT, i * 4) & 0xFFFF_FFFFL;
            case F64, I64, U64 -> memory.get(LONG, i * 8);
        };
    }

    void set(long i, long bits) {
        switch (dtype) {
            case BOOL -> memory.set(BYTE, i, (byte) (bits != 0 ? 1 : 0));
            case F16 -> memory.set(SHORT, i * 2, (short) bits);
            case F32, I32, U32 -> memory.set(INT, i * 4, (int) bits);
            case F64, I64, U64 -> memory.set(LONG, i * 8, bits);
        }
    }

    /**
     * {@code buffer[i] = op(buffer[i], value)} for {@code op} one of ADD, MIN, MAX, atomically
     * with respect to other calls (the value as {@link ScalarOps#binary} computes it: F16 adds in
     * F32 and rounds once).
     */
    void update(Op op, long i, long value) {
        switch (dtype) {
            case F32 -> {
                long at = i * 4;
                if (op == Op.ADD) {
                    float v = Float.intBitsToFloat((int) value);
                    int old;
                    do {
                        old = (int) ATOMIC_INT.getVolatile(memory, at);
                    } while (!ATOMIC_INT.compareAndSet(memory, at, old,
                            Float.floatToRawIntBits(Float.intBitsToFloat(old) + v)));
                } else {
                    updateInt(op, at, value);
                }
            }
            case I32, U32 -> {
                if (op == Op.ADD) {
                    ATOMIC_INT.getAndAdd(memory, i * 4, (int) value);
                } else {
                    updateInt(op, i * 4, value);
                }
            }
            case I64, U64 -> {
                if (op == Op.ADD) {
                    ATOMIC_LONG.getAndAdd(memory, i * 8, value);
                } else {
                    updateLong(op, i * 8, value);
                }
            }
            case F64 -> updateLong(op, i * 8, value);
            case F16 -> updateSubWord(op, i * 2, 16, value);
            case BOOL -> updateSubWord(op, i, 8, value);
        }
    }

    private void updateInt(Op op, long at, long value) {
        int old;
        int next;
        do {
            old = (int) ATOMIC_INT.getVolatile(memory, at);
            next = (int) ScalarOps.binary(op, dtype, ScalarOps.normalize(dtype, old), value);
        } while (old != next && !ATOMIC_INT.compareAndSet(memory, at, old, next));
    }

    private void updateLong(Op op, long at, long value) {
        long old;
        long next;
        do {
            old = (long) ATOMIC_LONG.getVolatile(memory, at);
            next = ScalarOps.binary(op, dtype, old, value);
        } while (old != next && !ATOMIC_LONG.compareAndSet(memory, at, old, next));
    }

    /** A compare-and-set on the aligned 32-bit word holding an F16 or BOOL element. */
    private void updateSubWord(Op op, long at, int width, long value) {
        long word = at & ~3L;
        int shift = (int) (at - word) * 8;
        int fieldMask = ((1 << width) - 1) << shift;
        int old;
        int next;
        do {
            old = (int) ATOMIC_INT.getVolatile(memory, word);
            long element = ScalarOps.normalize(dtype, (old & fieldMask) >>> shift);
            long result = ScalarOps.binary(op, dtype, element, value);
            next = (old & ~fieldMask) | (((int) result << shift) & fieldMask);
        } while (old != next && !ATOMIC_INT.compareAndSet(memory, word, old, next));
    }
}
