package dev.weft.backend.cpu;

import static dev.weft.backend.cpu.Differential.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code MATVEC} whose readers are only its activation ({@code MAX} with a scalar) and the
 * activation's mask ({@code GE/GT} with a scalar), and a transposed {@code MATVEC} whose only
 * reader is {@code SELECT(mask, product, 0)}, run those readers in the product's step
 * ({@link MatvecEpilogues}): the same bits as the separate steps, with fewer float registers.
 * The separate steps run when one more reader of each product (an extract) forbids the fusion.
 * Inputs include NaN, infinities and signed zeros; one weight row is zero with a bias of -0 and
 * one bias is NaN, so the activation and the mask see exact zeros and NaN.
 */
class CpuMatvecEpilogueTest {
    private static final int IN = 6;
    private static final int HIDDEN = 19;
    private static final int OUT = 3;
    /** Lanes between components of a slot: component c of lane l at c * STRIDE + l. */
    private static final int STRIDE = 1200;

    private static final MatrixAccess LAYER1 = new MatrixAccess(HIDDEN, IN, 0, IN, false);
    private static final int BIAS1 = HIDDEN * IN;
    private static final MatrixAccess LAYER2 = new MatrixAccess(OUT, HIDDEN, BIAS1 + HIDDEN, HIDDEN, false);
    private static final MatrixAccess LAYER2_T = new MatrixAccess(OUT, HIDDEN, BIAS1 + HIDDEN, HIDDEN, true);
    private static final int WEIGHTS = (int) LAYER2.end();

    private static List<Integer> loads(KernelSketch k, int slot, int lane, int count) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            out.add(k.load(slot, k.binary(Op.ADD, DType.I32, lane, k.i32(c * STRIDE))));
        }
        return out;
    }

    private static void stores(KernelSketch k, int slot, int lane, int vector, int count, DType type) {
        for (int c = 0; c < count; c++) {
            k.scatter(Op.SCATTER, slot, k.binary(Op.ADD, DType.I32, lane, k.i32(c * STRIDE)),
                    k.extract(type, vector, c), k.yes(), k.i32(HIDDEN * STRIDE));
        }
    }

    /**
     * Forward {@code h = max(W1 x + b1, 0)}, {@code o = W2 h}, the mask {@code W1 x + b1 >= 0}
     * ({@code >} with {@code greater}) and backward {@code s = mask ? W2^T g : 0}; with {@code
     * observed}, the two products are also read by an extract each (slot 6), which keeps the
     * separate steps.
     */
    private static Kernel network(boolean greater, boolean observed) {
        KernelSketch k = new KernelSketch();
        int w = k.slot(DType.F32);
        int xs = k.slot(DType.F32);
        int gs = k.slot(DType.F32);
        int hs = k.slot(DType.F32);
        int os = k.slot(DType.F32);
        int ss = k.slot(DType.F32);
        int seen = k.slot(DType.F32);
        int lane = k.lane();
        int zero = k.literal(DType.F32, 0);
        int x = k.pack(DType.F32, loads(k, xs, lane, IN));
        int y = k.matvec(DType.F32, w, LAYER1, x, k.load(w, k.i32(BIAS1), HIDDEN));
        int h = k.binary(Op.MAX, DType.F32, HIDDEN, y, zero);
        int mask = k.binary(greater ? Op.GT : Op.GE, DType.BOOL, HIDDEN, y, zero);
        int o = k.matvec(DType.F32, w, LAYER2, h, zero);
        int g = k.pack(DType.F32, loads(k, gs, lane, OUT));
        int t = k.matvec(DType.F32, w, LAYER2_T, g, zero);
        int s = k.add(new Kernel.Instr(Op.SELECT, DType.F32, HIDDEN, mask, t, zero, -1, 0));
        stores(k, hs, lane, h, HIDDEN, DType.F32);
        stores(k, os, lane, o, OUT, DType.F32);
        stores(k, ss, lane, s, HIDDEN, DType.F32);
        if (observed) {
            int sum = k.binary(Op.ADD, DType.F32, k.extract(DType.F32, y, 2), k.extract(DType.F32, t, 5));
            k.store(seen, sum, STRIDE);
        }
        return k.kernel();
    }

    private static byte[][] inputs() {
        byte[] w = values(DType.F32, WEIGHTS, 21);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(w).order(java.nio.ByteOrder.nativeOrder());
        for (int c = 0; c < IN; c++) {
            b.putFloat(c * 4, 0f); // row 0: zero weights
        }
        b.putFloat(BIAS1 * 4, -0f);                 // ... and a bias of -0
        b.putFloat((BIAS1 + 1) * 4, Float.NaN);     // row 1: NaN
        return new byte[][] {w, values(DType.F32, IN * STRIDE, 22), values(DType.F32, OUT * STRIDE, 23),
            new byte[HIDDEN * STRIDE * 4], new byte[OUT * STRIDE * 4], new byte[HIDDEN * STRIDE * 4],
            new byte[STRIDE * 4]};
    }

    @ParameterizedTest(name = "greater={0}, n={1}")
    @CsvSource({"false, 1", "false, 37", "false, 1100", "true, 513", "true, 1200"})
    void fusedActivationMaskAndMaskedProductLeaveTheBitsOfTheSeparateSteps(boolean greater, int n) {
        Kernel fused = network(greater, false);
        Kernel separate = network(greater, true);
        byte[][] in = inputs();
        byte[][] a = Differential.run(Differential.CPU, fused, in, new long[0], n);
        byte[][] b = Differential.run(Differential.CPU, separate, in, new long[0], n);
        for (int slot = 3; slot <= 5; slot++) {
            assertArrayEquals(b[slot], a[slot], "slot " + slot);
        }
        int fusedFloats = CpuCompiler.compile(fused).registers(RegisterClass.FLOAT);
        int separateFloats = CpuCompiler.compile(separate).registers(RegisterClass.FLOAT);
        assertTrue(fusedFloats < separateFloats, "the fused products take no registers: " + fusedFloats
                + " float registers, separate steps " + separateFloats);
    }
}
