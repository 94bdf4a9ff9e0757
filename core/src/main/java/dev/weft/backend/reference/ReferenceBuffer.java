package dev.weft.backend.reference;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Reference device memory: a little-endian heap segment, read and written as canonical bits. */
final class ReferenceBuffer implements BufferHandle {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long count;
    final MemorySegment memory;
    /** Set by {@code free}: a second free is a bug in the caller, caught here as the JDK's arenas catch it. */
    boolean freed;

    ReferenceBuffer(DType dtype, long count) {
        this.dtype = dtype;
        this.count = count;
        this.memory = MemorySegment.ofArray(new byte[Math.toIntExact(count * dtype.bytes())]);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long count() {
        return count;
    }

    /** Element {@code i} as canonical bits (see {@link dev.weft.ir.ScalarOps}). */
    long get(long i) {
        long at = i * dtype.bytes();
        return switch (dtype) {
            case BOOL -> memory.get(ValueLayout.JAVA_BYTE, at) != 0 ? 1 : 0;
            case F16 -> memory.get(SHORT, at) & 0xFFFFL;
            case F32, I32 -> memory.get(INT, at);
            case U32 -> memory.get(INT, at) & 0xFFFF_FFFFL;
            case F64, I64, U64 -> memory.get(LONG, at);
        };
    }

    void set(long i, long bits) {
        long at = i * dtype.bytes();
        switch (dtype) {
            case BOOL -> memory.set(ValueLayout.JAVA_BYTE, at, (byte) (bits != 0 ? 1 : 0));
            case F16 -> memory.set(SHORT, at, (short) bits);
            case F32, I32, U32 -> memory.set(INT, at, (int) bits);
            case F64, I64, U64 -> memory.set(LONG, at, bits);
        }
    }
}
