package dev.weft.backend.cpu;

import static dev.weft.backend.cpu.Differential.assertSameBits;
import static dev.weft.backend.cpu.Differential.values;

import dev.weft.DType;
import dev.weft.ir.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value op on every type it is defined for, run on the CPU backend and on the reference
 * backend over the same inputs (edge values: NaN with payloads, infinities, signed zeros,
 * subnormals, integer extremes, shift counts past the width, division by zero; and random
 * bits), which must leave the same bits. Sizes straddle the vector width and the chunk.
 */
class CpuOpsTest {
    private static final Set<DType> FLOATS = EnumSet.of(DType.F32, DType.F64);
    private static final Set<DType> INTS = EnumSet.of(DType.I32, DType.U32, DType.I64, DType.U64);
    private static final int[] SIZES = {1, 7, 513};

    static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType t : FLOATS) {
            for (Op op : List.of(Op.NEG, Op.ABS, Op.SQRT, Op.FLOOR, Op.CEIL, Op.ROUND, Op.TRUNC)) {
                cases.add(Arguments.of(op, t));
            }
        }
        for (DType t : INTS) {
            for (Op op : List.of(Op.NEG, Op.ABS, Op.NOT, Op.FLOOR, Op.CEIL, Op.ROUND, Op.TRUNC)) {
                cases.add(Arguments.of(op, t));
            }
        }
        for (Op op : List.of(Op.NOT, Op.ABS, Op.FLOOR)) {
            cases.add(Arguments.of(op, DType.BOOL));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryCases")
    void unaryOpMatchesReference(Op op, DType type) {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int in = k.slot(type);
            int out = k.slot(type);
            int x = k.load(in, k.lane());
            k.store(out, k.unary(op, type, x), n);
            assertSameBits(op + " " + type, k.kernel(), new byte[][] {values(type, n, 1), new byte[n * type.bytes()]},
                    new long[0], n);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transcendentalCases")
    void transcendentalFallbackMatchesReference(Op op, DType type) {
        int n = 37;
        KernelSketch k = new KernelSketch();
        int in = k.slot(type);
        int out = k.slot(type);
        k.store(out, k.unary(op, type, k.load(in, k.lane())), n);
        assertSameBits(op + " " + type, k.kernel(), new byte[][] {values(type, n, 2), new byte[n * type.bytes()]},
                new long[0], n);
    }

    static Stream<Arguments> transcendentalCases() {
        return Stream.of(Op.EXP2, Op.LOG2, Op.SIN, Op.TANH).flatMap(op -> FLOATS.stream().map(t -> Arguments.of(op, t)));
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType t : FLOATS) {
            for (Op op : List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.REM, Op.MIN, Op.MAX)) {
                cases.add(Arguments.of(op, t));
            }
        }
        for (DType t : INTS) {
            for (Op op : List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.REM, Op.MIN, Op.MAX, Op.MULHI, Op.AND, Op.OR, Op.XOR,
                    Op.SHL, Op.SHR)) {
                cases.add(Arguments.of(op, t));
            }
        }
        for (Op op : List.of(Op.AND, Op.OR, Op.XOR, Op.MIN, Op.MAX, Op.MUL)) {
            cases.add(Arguments.of(op, DType.BOOL));
        }
        for (DType t : EnumSet.complementOf(EnumSet.of(DType.F16))) {
            for (Op op : List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE)) {
                cases.add(Arguments.of(op, t));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binaryOpMatchesReference(Op op, DType type) {
        DType result = op.kind() == Op.Kind.COMPARE ? DType.BOOL : type;
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int a = k.slot(type);
            int b = k.slot(type);
            int out = k.slot(result);
            int lane = k.lane();
            k.store(out, k.binary(op, result, k.load(a, lane), k.load(b, lane)), n);
            byte[] left = values(type, n, 3);
            byte[] right = values(type, n, 4);
            assertSameBits(op + " " + type, k.kernel(), new byte[][] {left, right, new byte[n * result.bytes()]},
                    new long[0], n);
            // each value against itself too (equal operands: x - x, x == x, x / x, min(x, x))
            assertSameBits(op + " " + type + " on equal operands", k.kernel(),
                    new byte[][] {left, left.clone(), new byte[n * result.bytes()]}, new long[0], n);
        }
    }

    @ParameterizedTest(name = "FMA {0}")
    @MethodSource("fmaTypes")
    void fmaMatchesReference(DType type) {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int a = k.slot(type);
            int b = k.slot(type);
            int c = k.slot(type);
            int out = k.slot(type);
            int lane = k.lane();
            k.store(out, k.ternary(Op.FMA, type, k.load(a, lane), k.load(b, lane), k.load(c, lane)), n);
            assertSameBits("FMA " + type, k.kernel(), new byte[][] {values(type, n, 5), values(type, n, 6),
                values(type, n, 7), new byte[n * type.bytes()]}, new long[0], n);
        }
    }

    static Stream<DType> fmaTypes() {
        return Stream.concat(FLOATS.stream(), INTS.stream());
    }

    @ParameterizedTest(name = "SELECT {0}")
    @MethodSource("allTypes")
    void selectMatchesReference(DType type) {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int m = k.slot(DType.BOOL);
            int a = k.slot(type);
            int b = k.slot(type);
            int out = k.slot(type);
            int lane = k.lane();
            k.store(out, k.ternary(Op.SELECT, type, k.load(m, lane), k.load(a, lane), k.load(b, lane)), n);
            assertSameBits("SELECT " + type, k.kernel(), new byte[][] {values(DType.BOOL, n, 8), values(type, n, 9),
                values(type, n, 10), new byte[n * type.bytes()]}, new long[0], n);
        }
    }

    static Stream<DType> allTypes() {
        return Stream.of(DType.values());
    }

    static Stream<Arguments> castCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                cases.add(Arguments.of(Op.CAST, from, to));
                if (from.bytes() == to.bytes()) {
                    cases.add(Arguments.of(Op.BITCAST, from, to));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("castCases")
    void conversionMatchesReference(Op op, DType from, DType to) {
        for (int n : SIZES) {
            KernelSketch k = new KernelSketch();
            int in = k.slot(from);
            int out = k.slot(to);
            k.store(out, k.unary(op, to, k.load(in, k.lane())), n);
            assertSameBits(op + " " + from + " -> " + to, k.kernel(),
                    new byte[][] {values(from, n, 11), new byte[n * to.bytes()]}, new long[0], n);
        }
    }

    @Test
    void f16SubnormalsSurviveLoadConvertAndStore() {
        // every F16 bit pattern, through F32 and F64 and back: subnormals are kept, NaN payloads move as the reference moves them
        int n = 65536;
        byte[] all = new byte[n * 2];
        java.lang.foreign.MemorySegment m = java.lang.foreign.MemorySegment.ofArray(all);
        for (int i = 0; i < n; i++) {
            m.set(CpuBuffer.SHORT, i * 2L, (short) i);
        }
        for (DType wide : List.of(DType.F32, DType.F64)) {
            KernelSketch k = new KernelSketch();
            int in = k.slot(DType.F16);
            int out = k.slot(DType.F16);
            int x = k.unary(Op.CAST, wide, k.load(in, k.lane()));
            k.store(out, k.unary(Op.CAST, DType.F16, k.binary(Op.MUL, wide, x, k.literal(wide,
                    wide == DType.F32 ? Float.floatToRawIntBits(1f) : Double.doubleToRawLongBits(1.0)))), n);
            assertSameBits("F16 -> " + wide + " -> F16", k.kernel(), new byte[][] {all, new byte[n * 2]}, new long[0], n);
        }
    }

    @Test
    void fusedExpressionMatchesReferenceAtEverySize() {
        // x * p + (lane as F32) / 3, min'd with a literal, through int and back: loads, params, lanes, literals, casts
        for (int n : new int[] {0, 1, 7, 511, 512, 513, 100003}) {
            KernelSketch k = new KernelSketch();
            int in = k.slot(DType.F32);
            int out = k.slot(DType.F32);
            int ints = k.slot(DType.I32);
            int p = k.param(DType.F32);
            int lane = k.lane();
            int x = k.load(in, lane);
            int fl = k.unary(Op.CAST, DType.F32, lane);
            int y = k.ternary(Op.FMA, DType.F32, x, p, k.binary(Op.DIV, DType.F32, fl, k.literal(DType.F32,
                    Float.floatToRawIntBits(3f))));
            int z = k.binary(Op.MIN, DType.F32, y, k.literal(DType.F32, Float.floatToRawIntBits(1e4f)));
            k.store(out, z, n);
            k.store(ints, k.binary(Op.XOR, DType.I32, k.unary(Op.CAST, DType.I32, z), lane), n);
            assertSameBits("fused", k.kernel(), new byte[][] {values(DType.F32, n, 12), new byte[n * 4], new byte[n * 4]},
                    new long[] {Float.floatToRawIntBits(0.37f)}, n);
        }
    }
}
