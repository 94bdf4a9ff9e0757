package dev.weft.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MATVEC and OUTER_ADD on the CPU backend against sums computed in double in the test: each
 * output within {@code K * eps * sum(|terms|)} (K terms, eps 2^-23 for F32 accumulation, 2^-52
 * for F64), the bound of DESIGN.md "Numbers", plus one rounding of the memory type for F16
 * memory. The reference backend is held to the same bound, so the expected values are not
 * taken from it. Matrices are views (offset, stride, transpose) into one shared buffer, and a
 * kernel uses two MATVECs, as a network layer and its backward pass do.
 */
class CpuCoopVecTest {
    private static final int LANES_SLOT_STRIDE = 1 << 14; // component c of an input lives at c * this + lane

    /** Loads of components {@code 0..count-1} of a slot laid out as {@code c * LANES_SLOT_STRIDE + lane}. */
    private static List<Integer> lanesOf(KernelSketch k, int slot, int lane, int count) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            out.add(k.load(slot, k.binary(Op.ADD, DType.I32, lane, k.i32(c * LANES_SLOT_STRIDE))));
        }
        return out;
    }

    /** Host copies of what a kernel reads: the flat weight buffer as doubles (already rounded to its type). */
    private record Views(DType weightType, double[] weights, MatrixAccess first, MatrixAccess second) {}

    @ParameterizedTest(name = "weights {0}, accumulate {1}, {2}x{3} then transposed to {4}, n={5}")
    @CsvSource({
        "F32, F32, 13, 5, 10, 1",
        "F32, F32, 13, 5, 10, 7",
        "F16, F32, 13, 5, 10, 513",
        "F32, F32, 13, 5, 10, 3000",
        "F64, F32, 6, 3, 9, 600",
        "F16, F32, 64, 64, 64, 1000",
        "F32, F32, 64, 2, 3, 1100",
        "F64, F64, 13, 5, 10, 700",
    })
    void twoMatvecsInOneKernelStayWithinTheSumBound(DType weightType, DType acc, int rows1, int cols1, int out2, int n) {
        // layer 1: y = W1 x + b (W1 rows1 x cols1, offset 7, stride cols1 + 3)
        // layer 2: z = W2^T relu(y) (W2 stored rows1 x out2 at a later offset, stride out2 + 1, used transposed)
        MatrixAccess m1 = new MatrixAccess(rows1, cols1, 7, cols1 + 3, false);
        MatrixAccess m2 = new MatrixAccess(rows1, out2, m1.end() + 5, out2 + 1, true);
        int size = (int) m2.end() + 3;
        Random r = new Random(rows1 * 31L + n);
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = roundTo(weightType, r.nextGaussian() / Math.sqrt(cols1));
        }
        KernelSketch k = new KernelSketch();
        int wSlot = k.slot(weightType);
        int xSlot = k.slot(acc);
        int bSlot = k.slot(acc);
        int ySlot = k.slot(acc);
        int zSlot = k.slot(acc);
        int lane = k.lane();
        int input = k.pack(acc, lanesOf(k, xSlot, lane, cols1));
        int bias = k.pack(acc, lanesOf(k, bSlot, lane, rows1));
        int y = k.matvec(acc, wSlot, m1, input, bias);
        for (int o = 0; o < rows1; o++) {
            k.scatter(Op.SCATTER, ySlot, k.binary(Op.ADD, DType.I32, lane, k.i32(o * LANES_SLOT_STRIDE)),
                    k.extract(acc, y, o), k.yes(), k.i32(Integer.MAX_VALUE));
        }
        int hidden = k.binary(Op.MAX, acc, rows1, y, k.literal(acc, 0)); // ReLU on the whole vector
        int z = k.matvec(acc, wSlot, m2, hidden, k.literal(acc, 0));
        for (int o = 0; o < out2; o++) {
            k.scatter(Op.SCATTER, zSlot, k.binary(Op.ADD, DType.I32, lane, k.i32(o * LANES_SLOT_STRIDE)),
                    k.extract(acc, z, o), k.yes(), k.i32(Integer.MAX_VALUE));
        }
        double[] x = randomLanes(r, cols1, n, acc);
        double[] b = randomLanes(r, rows1, n, acc);
        byte[][] initial = {encode(weightType, w), encode(acc, x), encode(acc, b), new byte[lanesBytes(rows1, acc)],
            new byte[lanesBytes(out2, acc)]};
        for (Backend backend : List.of(Differential.CPU, Differential.REFERENCE)) {
            byte[][] out = Differential.run(backend, k.kernel(), initial, new long[0], n);
            double[] ys = decode(acc, out[3]);
            double[] zs = decode(acc, out[4]);
            double eps = acc == DType.F32 ? 0x1p-23 : 0x1p-52;
            for (int l = 0; l < n; l++) {
                for (int o = 0; o < rows1; o++) {
                    double exact = b[o * LANES_SLOT_STRIDE + l];
                    double abs = Math.abs(exact);
                    for (int c = 0; c < cols1; c++) {
                        double t = w[(int) m1.index(o, c)] * x[c * LANES_SLOT_STRIDE + l];
                        exact += t;
                        abs += Math.abs(t);
                    }
                    assertWithin(backend.name() + " layer 1 lane " + l + " row " + o, exact, ys[o * LANES_SLOT_STRIDE + l],
                            (cols1 + 1) * eps * abs);
                }
                for (int o = 0; o < out2; o++) {
                    double exact = 0;
                    double abs = 0;
                    for (int c = 0; c < rows1; c++) {
                        double t = w[(int) m2.index(o, c)] * Math.max(ys[c * LANES_SLOT_STRIDE + l], 0);
                        exact += t;
                        abs += Math.abs(t);
                    }
                    assertWithin(backend.name() + " layer 2 lane " + l + " row " + o, exact, zs[o * LANES_SLOT_STRIDE + l],
                            rows1 * eps * abs);
                }
            }
        }
    }

    @ParameterizedTest(name = "memory {0}, accumulate {1}, {2}x{3}, n={4}")
    @CsvSource({
        "F32, F32, 4, 4, 1",
        "F32, F32, 9, 7, 513",
        "F16, F32, 9, 7, 3000",
        "F16, F32, 64, 64, 1030",
        "F32, F32, 64, 3, 2049",
        "F64, F64, 5, 6, 777",
        "F32, F32, 5, 6, 0",
    })
    void outerAddAccumulatesEveryLaneOnce(DType memType, DType acc, int rows, int cols, int n) {
        // two outer products into one buffer: at offset 3 with stride cols + 2, and at a later offset with stride cols
        MatrixAccess first = new MatrixAccess(rows, cols, 3, cols + 2, false);
        MatrixAccess second = new MatrixAccess(rows, cols, first.end() + 1, cols, false);
        int size = (int) second.end() + 2;
        Random r = new Random(rows * 131L + cols * 7L + n);
        double[] mem = new double[size];
        for (int i = 0; i < size; i++) {
            mem[i] = roundTo(memType, r.nextGaussian());
        }
        KernelSketch k = new KernelSketch();
        int gSlot = k.slot(memType);
        int uSlot = k.slot(acc);
        int vSlot = k.slot(acc);
        int lane = k.lane();
        List<Integer> us = lanesOf(k, uSlot, lane, rows);
        int vs = k.pack(acc, lanesOf(k, vSlot, lane, cols));
        k.outerAdd(acc, gSlot, first, k.pack(acc, us), vs);
        List<Integer> negated = new ArrayList<>(us);
        negated.set(0, k.unary(Op.NEG, acc, us.get(0)));
        k.outerAdd(acc, gSlot, second, k.pack(acc, negated), vs);
        double[] u = randomLanes(r, rows, Math.max(n, 1), acc);
        double[] v = randomLanes(r, cols, Math.max(n, 1), acc);
        byte[][] initial = {encode(memType, mem), encode(acc, u), encode(acc, v)};
        for (Backend backend : List.of(Differential.CPU, Differential.REFERENCE)) {
            double[] out = decode(memType, Differential.run(backend, k.kernel(), initial, new long[0], n)[0]);
            double eps = acc == DType.F32 ? 0x1p-23 : 0x1p-52;
            double memEps = memType == DType.F16 ? 0x1p-11 : memType == DType.F32 ? 0x1p-24 : 0x1p-53;
            for (int view = 0; view < 2; view++) {
                MatrixAccess m = view == 0 ? first : second;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int at = (int) (m.offset() + i * m.stride() + j);
                        double exact = mem[at];
                        double abs = Math.abs(exact);
                        for (int l = 0; l < n; l++) {
                            double t = u[i * LANES_SLOT_STRIDE + l] * v[j * LANES_SLOT_STRIDE + l] * (view == 1 && i == 0 ? -1 : 1);
                            exact += t;
                            abs += Math.abs(t);
                        }
                        assertWithin(backend.name() + " view " + view + " (" + i + ", " + j + ")", exact, out[at],
                                (n + 1) * eps * abs + 2 * memEps * Math.abs(exact));
                    }
                }
            }
            // elements outside the views keep their bits
            assertTrue(out[0] == mem[0] && out[size - 1] == mem[size - 1], backend.name() + ": wrote outside the views");
        }
    }

    @Test
    void outerAddIntoF16RoundsOncePerElementAndLaunch() {
        // 3000 lanes each adding 2^-12 to 1.0: per-add F16 rounding would lose every add (ulp(1) = 2^-10);
        // one rounding of the F32 sum gives 1 + 3000 * 2^-12 = 1.732..., which rounds to 1.7324 in F16
        int n = 3000;
        KernelSketch k = new KernelSketch();
        int g = k.slot(DType.F16);
        int one = k.literal(DType.F32, Float.floatToRawIntBits(1f));
        int tiny = k.literal(DType.F32, Float.floatToRawIntBits(0x1p-12f));
        k.outerAdd(DType.F32, g, new MatrixAccess(1, 1, 0, 1, false), one, tiny);
        byte[] mem = new byte[2];
        MemorySegment.ofArray(mem).set(CpuBuffer.SHORT, 0, Float.floatToFloat16(1f));
        double out = decode(DType.F16, Differential.run(Differential.CPU, k.kernel(), new byte[][] {mem}, new long[0], n)[0])[0];
        double expected = Float.float16ToFloat(Float.floatToFloat16(1f + n * 0x1p-12f));
        assertTrue(out == expected, "F16 outer sum " + out + ", expected " + expected);
    }

    private static void assertWithin(String what, double exact, double actual, double bound) {
        assertTrue(Math.abs(actual - exact) <= bound + Double.MIN_NORMAL,
                () -> String.format("%s: %s, exact %s, bound %s", what, actual, exact, bound));
    }

    private static double roundTo(DType type, double v) {
        return switch (type) {
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case F32 -> (float) v;
            default -> v;
        };
    }

    private static double[] randomLanes(Random r, int components, int n, DType type) {
        double[] d = new double[components * LANES_SLOT_STRIDE];
        for (int c = 0; c < components; c++) {
            for (int l = 0; l < n; l++) {
                d[c * LANES_SLOT_STRIDE + l] = roundTo(type, r.nextGaussian());
            }
        }
        return d;
    }

    private static int lanesBytes(int components, DType type) {
        return components * LANES_SLOT_STRIDE * type.bytes();
    }

    static byte[] encode(DType type, double[] values) {
        MemorySegment m = MemorySegment.ofArray(new byte[values.length * type.bytes()]);
        for (int i = 0; i < values.length; i++) {
            switch (type) {
                case F16 -> m.set(CpuBuffer.SHORT, i * 2L, Float.floatToFloat16((float) values[i]));
                case F32 -> m.set(CpuBuffer.FLOAT, i * 4L, (float) values[i]);
                case F64 -> m.set(CpuBuffer.DOUBLE, i * 8L, values[i]);
                default -> throw new AssertionError(type);
            }
        }
        return m.toArray(ValueLayout.JAVA_BYTE);
    }

    static double[] decode(DType type, byte[] bytes) {
        double[] d = new double[bytes.length / type.bytes()];
        for (int i = 0; i < d.length; i++) {
            d[i] = CpuMemoryTest.decode(bytes, type, i);
        }
        return d;
    }

    /**
     * The per-thread outer-product sums add a vector's lanes in lane order, whatever the JIT did:
     * reduceLanes may add in any order, its Java fallback and C2's intrinsic differ, and training
     * runs then differed between runs with the moment C2 compiled the kernel. Random products of
     * mixed magnitudes, against a sum in lane order done here, often enough to be compiled.
     */
    @Test
    void outerProductLaneSumsAreInLaneOrder() {
        int n = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        Random r = new Random(5);
        float[][] u = {new float[CpuProgram.CHUNK]};
        float[][] v = {new float[CpuProgram.CHUNK]};
        for (int rep = 0; rep < 50_000; rep++) {
            float expected = 0;
            for (int l = 0; l < n; l++) {
                u[0][l] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(20)));
                v[0][l] = (float) r.nextGaussian();
                float product = u[0][l] * v[0][l]; // fma(u, v, 0): the product rounded once
                expected = l == 0 ? product : expected + product;
            }
            float[] sums = new float[1];
            CoopVecKernels.outerF32(u, v, sums, 1, 1, n);
            assertEquals(expected, sums[0], "repetition " + rep);
        }
    }
}
