package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The device the tests run on: {@code opencl:0} of this machine (PoCL in CI). Where OpenCL is
 * missing, tests are skipped with the probe's reason; where it is present they must run.
 */
final class OpenClTesting {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static OpenClProvider provider;
    private static OpenClBackend shared;

    private OpenClTesting() {}

    static synchronized OpenClProvider provider() {
        if (provider == null) {
            provider = new OpenClProvider();
        }
        return provider;
    }

    /** Skips the calling test, with the probe's reason, where this machine has no OpenCL device. */
    static void assumeOpenCl() {
        assumeTrue(!provider().devices().isEmpty(), () -> "no OpenCL device: " + provider().probe().reason());
    }

    /** One backend on opencl:0 shared by the tests that leave it as they found it. */
    static synchronized OpenClBackend backend() {
        assumeOpenCl();
        if (shared == null) {
            shared = provider().openRuntime(0);
        }
        return shared;
    }

    /** A backend of its own, for tests that close it or fill its memory. */
    static OpenClBackend fresh() {
        assumeOpenCl();
        return provider().openRuntime(0);
    }

    /** Element {@code i} of {@code bytes} (the SPI's layout) as canonical bits, as {@link dev.weft.ir.ScalarOps} reads them. */
    static long read(byte[] bytes, DType type, int i) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        return switch (type) {
            case BOOL -> m.get(ValueLayout.JAVA_BYTE, i);
            case F16 -> m.get(SHORT, i * 2L) & 0xFFFFL;
            case F32, I32 -> m.get(INT, i * 4L);
            case U32 -> m.get(INT, i * 4L) & 0xFFFF_FFFFL;
            case F64, I64, U64 -> m.get(LONG, i * 8L);
        };
    }

    static void write(byte[] bytes, DType type, int i, long bits) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        switch (type) {
            case BOOL -> m.set(ValueLayout.JAVA_BYTE, i, (byte) bits);
            case F16 -> m.set(SHORT, i * 2L, (short) bits);
            case F32, I32, U32 -> m.set(INT, i * 4L, (int) bits);
            case F64, I64, U64 -> m.set(LONG, i * 8L, bits);
        }
    }

    /** {@code n} elements of random bits (BOOL 0 or 1). */
    static byte[] randomBits(DType type, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] out = new byte[n * type.bytes()];
        r.nextBytes(out);
        if (type == DType.BOOL) {
            for (int i = 0; i < n; i++) {
                out[i] &= 1;
            }
        }
        return out;
    }
}
