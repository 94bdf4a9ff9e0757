package dev.weft.backend.cpu;

import static dev.weft.backend.cpu.Differential.assertSameBits;
import static dev.weft.backend.cpu.Differential.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.Op;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Gathers and scatters against the reference: masked lanes and indices out of range (negative,
 * at the bound, past it) do nothing or read 0; colliding scatter-adds from many lanes and
 * threads lose no update; lane reductions (scatters at a literal index) at sizes around the
 * chunk. Integer and min/max results must match bit for bit; float sums, whose order is free,
 * within DESIGN.md's bound {@code K * 2^-23 * sum(|terms|)}.
 */
class CpuMemoryTest {
    private static final int[] SIZES = {0, 1, 7, 511, 513, 100003};

    static Stream<DType> allTypes() {
        return Stream.of(DType.values());
    }

    @ParameterizedTest(name = "GATHER {0}")
    @MethodSource("allTypes")
    void maskedAndOutOfRangeGathersReadZero(DType type) {
        int table = 100;
        for (int n : new int[] {1, 7, 513, 5000}) {
            KernelSketch k = new KernelSketch();
            int src = k.slot(type);
            int idx = k.slot(DType.I32);
            int mask = k.slot(DType.BOOL);
            int out = k.slot(type);
            int lane = k.lane();
            int g = k.gather(src, k.load(idx, lane), k.param(DType.I32), k.load(mask, lane));
            k.store(out, g, n);
            assertSameBits("gather " + type, k.kernel(), new byte[][] {values(type, table, 20), indices(n, -20, table + 20, 21),
                values(DType.BOOL, n, 22), new byte[n * type.bytes()]}, new long[] {table - 3}, n);
        }
    }

    @ParameterizedTest(name = "SCATTER {0}")
    @MethodSource("allTypes")
    void maskedAndOutOfRangeStoresWriteNothing(DType type) {
        for (int n : new int[] {1, 7, 513, 5000}) {
            // a permutation of the lanes, shifted so some land below 0 or at/after the bound
            KernelSketch k = new KernelSketch();
            int dst = k.slot(type);
            int src = k.slot(type);
            int mask = k.slot(DType.BOOL);
            int lane = k.lane();
            int reversed = k.binary(Op.SUB, DType.I32, k.i32(n - 5), lane);
            k.scatter(Op.SCATTER, dst, reversed, k.load(src, lane), k.load(mask, lane), k.i32(n - 10));
            assertSameBits("scatter " + type, k.kernel(), new byte[][] {values(type, n, 23), values(type, n, 24),
                values(DType.BOOL, n, 25)}, new long[0], n);
        }
    }

    @Test
    void contiguousStoresInRangeAreOneCopyAndStillExact() {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int dst = k.slot(DType.F16);
            int src = k.slot(DType.F16);
            int lane = k.lane();
            k.store(dst, k.load(src, lane), n);
            assertSameBits("copy F16", k.kernel(), new byte[][] {new byte[n * 2], values(DType.F16, n, 26)}, new long[0], n);
        }
    }

    static Stream<DType> addTypes() {
        return Stream.of(DType.F16, DType.F32, DType.F64, DType.I32, DType.U32, DType.I64, DType.U64);
    }

    @ParameterizedTest(name = "SCATTER_ADD {0}")
    @MethodSource("addTypes")
    void collidingScatterAddsLoseNoUpdate(DType type) {
        for (int n : new int[] {7, 513, 100003}) {
            // lane l adds its value into slot (l * 7) % 13 - 1 (so -1 sometimes: skipped), masked by a BOOL input
            KernelSketch k = new KernelSketch();
            int dst = k.slot(type);
            int src = k.slot(type);
            int mask = k.slot(DType.BOOL);
            int lane = k.lane();
            int index = k.binary(Op.SUB, DType.I32, k.binary(Op.REM, DType.I32, k.binary(Op.MUL, DType.I32, lane, k.i32(7)),
                    k.i32(13)), k.i32(1));
            k.scatter(Op.SCATTER_ADD, dst, index, k.load(src, lane), k.load(mask, lane), k.i32(11));
            byte[] addends = small(type, n, 27);
            byte[][] initial = {small(type, 12, 28), addends, values(DType.BOOL, n, 29)};
            compareSums("scatter-add " + type, k, initial, n, type, 12);
        }
    }

    @ParameterizedTest(name = "lane sum {0}")
    @MethodSource("addTypes")
    void laneReductionsSumEveryLiveLane(DType type) {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int dst = k.slot(type);
            int src = k.slot(type);
            int mask = k.slot(DType.BOOL);
            int lane = k.lane();
            k.scatter(Op.SCATTER_ADD, dst, k.i32(1), k.load(src, lane), k.load(mask, lane), k.i32(2));
            k.scatter(Op.SCATTER_ADD, dst, k.i32(2), k.load(src, lane), k.yes(), k.i32(2)); // index == bound: nothing
            compareSums("lane sum " + type, k, new byte[][] {small(type, 3, 30), small(type, n, 31), values(DType.BOOL, n, 32)},
                    n, type, 3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minMaxCases")
    void scatterMinMaxMatchBitForBit(Op op) {
        for (DType type : new DType[] {DType.F32, DType.F64, DType.I32, DType.U32, DType.I64, DType.U64, DType.F16}) {
            for (int n : new int[] {0, 7, 513, 100003}) {
                KernelSketch k = new KernelSketch();
                int dst = k.slot(type);
                int src = k.slot(type);
                int lane = k.lane();
                int value = k.load(src, lane);
                k.scatter(op, dst, k.binary(Op.REM, DType.I32, lane, k.i32(5)), value, k.yes(), k.i32(5));
                k.scatter(op, dst, k.i32(6), value, k.yes(), k.i32(7)); // a lane reduction
                // several NaNs may meet in one element; which one wins depends on the (free) order
                Differential.assertSameValuesAnyNaN(op + " " + type, k.kernel(), new byte[][] {values(type, 8, 33), values(type, n, 34)},
                        new long[0], n);
            }
        }
    }

    static Stream<Op> minMaxCases() {
        return Stream.of(Op.SCATTER_MIN, Op.SCATTER_MAX);
    }

    /** Values whose float sums are exact in F16/F32 (multiples of 1/8 below 16) or any integers. */
    private static byte[] small(DType type, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        MemorySegment m = MemorySegment.ofArray(new byte[n * type.bytes()]);
        for (int i = 0; i < n; i++) {
            double v = (r.nextInt(256) - 128) / 8.0 + (type.isFloat() ? r.nextDouble() * 1e-3 : 0);
            long bits = switch (type) {
                case F16 -> Float.floatToFloat16((float) v);
                case F32 -> Float.floatToRawIntBits((float) v);
                case F64 -> Double.doubleToRawLongBits(v);
                default -> r.nextLong();
            };
            Differential.write(m, type, i, bits);
        }
        return m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static byte[] indices(int n, int from, int to, long seed) {
        java.util.Random r = new java.util.Random(seed);
        MemorySegment m = MemorySegment.ofArray(new byte[n * 4]);
        for (int i = 0; i < n; i++) {
            m.set(CpuBuffer.INT, i * 4L, from + r.nextInt(to - from));
        }
        return m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /**
     * Integers: the same bits as the reference. Floats: each element of slot 0 within {@code
     * K * 2^-23 * sum(|terms|)} (K = terms + 1, in the memory type's precision: 2^-10 for F16) of
     * the exact sum, computed in double from the inputs and the reference's final value.
     */
    private static void compareSums(String what, KernelSketch sketch, byte[][] initial, int n, DType type, int elements) {
        var kernel = sketch.kernel();
        if (!type.isFloat()) {
            assertSameBits(what, kernel, initial, new long[0], n);
            return;
        }
        byte[][] cpu = Differential.run(Differential.CPU, kernel, initial, new long[0], n);
        byte[][] ref = Differential.run(Differential.REFERENCE, kernel, initial, new long[0], n);
        double eps = type == DType.F16 ? 0x1p-10 : type == DType.F32 ? 0x1p-23 : 0x1p-52;
        for (int i = 0; i < elements; i++) {
            double c = decode(cpu[0], type, i);
            double r = decode(ref[0], type, i);
            double start = decode(initial[0], type, i);
            // the sum of terms is r - start up to the reference's own rounding; bound both
            double terms = Math.abs(start) + Math.abs(r - start) + 1;
            double bound = (n + 2) * eps * terms * 2;
            int element = i;
            assertTrue(Math.abs(c - r) <= bound, () -> String.format("%s n=%d element %d: cpu %s, reference %s, bound %s",
                    what, n, element, c, r, bound));
        }
        assertEquals(initial.length, cpu.length);
    }

    static double decode(byte[] bytes, DType type, int i) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        return switch (type) {
            case F16 -> Float.float16ToFloat(m.get(CpuBuffer.SHORT, i * 2L));
            case F32 -> m.get(CpuBuffer.FLOAT, i * 4L);
            case F64 -> m.get(CpuBuffer.DOUBLE, i * 8L);
            default -> throw new AssertionError(type);
        };
    }
}
