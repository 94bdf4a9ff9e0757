package dev.weft.backend.cpu;

import static dev.weft.backend.cpu.Differential.assertSameBits;
import static dev.weft.backend.cpu.Differential.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vector values and values computed once per launch on the CPU backend, against the reference
 * backend bit for bit: element-wise ops on vectors (one op token, per component, scalars
 * broadcast), vector loads, packs and extracts, uniform values (a bias-like vector load at a
 * literal index, arithmetic on parameters) that the CPU computes once per launch, and the
 * calling thread running a small launch alone with the same bits as the workers.
 */
class CpuVectorTest {
    private static final int LENGTH = 5;
    /** Lanes between the components of a slot: component c of lane l at c * STRIDE + l. */
    private static final int STRIDE = 1100;

    /** The vector of {@code LENGTH} components of slot {@code slot}, lane by lane. */
    private static int loadVector(KernelSketch k, int slot, int lane) {
        List<Integer> parts = new java.util.ArrayList<>();
        for (int c = 0; c < LENGTH; c++) {
            parts.add(k.load(slot, k.binary(Op.ADD, DType.I32, lane, k.i32(c * STRIDE))));
        }
        return k.pack(DType.F32, parts);
    }

    /** Stores each component of vector {@code v} to {@code slot} at {@code c * STRIDE + lane}. */
    private static void storeVector(KernelSketch k, int slot, int v, int lane, DType type) {
        for (int c = 0; c < LENGTH; c++) {
            k.scatter(Op.SCATTER, slot, k.binary(Op.ADD, DType.I32, lane, k.i32(c * STRIDE)), k.extract(type, v, c),
                    k.yes(), k.i32(LENGTH * STRIDE));
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 17, 513, 1100})
    void elementwiseOpsOnVectorsMatchTheReferencePerComponent(int n) {
        KernelSketch k = new KernelSketch();
        int in = k.slot(DType.F32);
        int bias = k.slot(DType.F32);
        int out = k.slot(DType.F32);
        int mask = k.slot(DType.BOOL);
        int lane = k.lane();
        int x = loadVector(k, in, lane);
        int scale = k.param(DType.F32);
        int b = k.load(bias, k.i32(3), LENGTH);                                  // uniform vector: bias[3..8)
        int scaled = k.binary(Op.MUL, DType.F32, LENGTH, x, scale);              // scalar operand broadcast
        int shifted = k.binary(Op.ADD, DType.F32, LENGTH, scaled, b);
        int relu = k.binary(Op.MAX, DType.F32, LENGTH, shifted, k.literal(DType.F32, 0));
        int positive = k.binary(Op.GT, DType.BOOL, LENGTH, x, k.literal(DType.F32, 0));
        int chosen = k.add(new Kernel.Instr(Op.SELECT, DType.F32, LENGTH, positive, relu, x, -1, 0));
        int fused = k.add(new Kernel.Instr(Op.FMA, DType.F32, LENGTH, chosen, x, b, -1, 0));
        int root = k.add(new Kernel.Instr(Op.SQRT, DType.F32, LENGTH, fused, -1, -1, -1, 0));
        storeVector(k, out, root, lane, DType.F32);
        storeVector(k, mask, positive, lane, DType.BOOL);
        assertSameBits("vector ops", k.kernel(), new byte[][] {values(DType.F32, LENGTH * STRIDE, 7),
            values(DType.F32, 16, 8), new byte[LENGTH * STRIDE * 4], new byte[LENGTH * STRIDE]},
                new long[] {Float.floatToRawIntBits(0.75f)}, n);
    }

    @Test
    void uniformChainsAreComputedOncePerLaunchWithTheSameBits() {
        // parameters through several uniform ops (an optimizer's bias corrections) into a per-lane op
        int n = 3000;
        KernelSketch k = new KernelSketch();
        int in = k.slot(DType.F32);
        int table = k.slot(DType.F32);
        int out = k.slot(DType.F32);
        int p = k.param(DType.F32);
        int q = k.param(DType.F32);
        int c = k.binary(Op.DIV, DType.F32, k.literal(DType.F32, Float.floatToRawIntBits(1f)),
                k.binary(Op.SUB, DType.F32, k.literal(DType.F32, Float.floatToRawIntBits(1f)), p));
        int index = k.add(new Kernel.Instr(Op.CAST, DType.I32, k.binary(Op.MUL, DType.F32, q,
                k.literal(DType.F32, Float.floatToRawIntBits(4f))), -1, -1, -1, 0));
        int looked = k.gather(table, index, k.i32(16), k.yes());                    // a gather at a uniform index
        int lane = k.lane();
        int y = k.binary(Op.MUL, DType.F32, k.load(in, lane), k.binary(Op.ADD, DType.F32, c, looked));
        k.store(out, y, n);
        Kernel kernel = k.kernel();
        for (int i : new int[] {c, index, looked}) {
            org.junit.jupiter.api.Assertions.assertTrue(kernel.isUniform(i), "%" + i + " is uniform");
        }
        assertSameBits("uniform chain", kernel, new byte[][] {values(DType.F32, n, 3), values(DType.F32, 16, 4),
            new byte[n * 4]}, new long[] {Float.floatToRawIntBits(0.9f), Float.floatToRawIntBits(2.6f)}, n);
    }

    @Test
    void aSmallLaunchOnTheCallingThreadLeavesTheBitsOfTheWorkers() {
        // a lane reduction over 5 chunks: per-worker partials folded in worker order, whoever runs them
        int n = 5 * CpuProgram.CHUNK - 3;
        KernelSketch k = new KernelSketch();
        int in = k.slot(DType.F32);
        int sum = k.slot(DType.F32);
        k.scatter(Op.SCATTER_ADD, sum, k.i32(0), k.load(in, k.lane()), k.yes(), k.i32(1));
        Kernel kernel = k.kernel();
        CpuBackend cpu = (CpuBackend) Differential.CPU;
        CpuProgram program = (CpuProgram) cpu.compile(kernel);
        byte[] input = values(DType.F32, n, 11);
        float[] inline = new float[1];
        float[] pooled = new float[1];
        for (boolean onCaller : new boolean[] {true, false}) {
            BufferHandle a = cpu.alloc(DType.F32, n);
            BufferHandle s = cpu.alloc(DType.F32, 1);
            cpu.copyIn(a, 0, MemorySegment.ofArray(input.clone()));
            cpu.fill(s, 0, 1, 0);
            program.launch(cpu.workers(), new CpuBuffer[] {(CpuBuffer) a, (CpuBuffer) s}, new long[0], n, onCaller);
            cpu.copyOut(s, 0, MemorySegment.ofArray(onCaller ? inline : pooled));
            cpu.free(a);
            cpu.free(s);
        }
        assertArrayEquals(pooled, inline);
    }
}
