package dev.weft.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Programs written with the Tensor API, traced and scheduled by the core, run on
 * {@code Device.of("cpu")} and {@code Device.of("reference")}: element-wise results (with the
 * core's polynomial transcendentals) must agree bit for bit, sums within the sum bound. A
 * training-like loop compiles nothing after its first step.
 */
class CpuTensorTest {
    private static float[] on(String device, Supplier<Tensor> program) {
        try (var s = Weft.device(Device.of(device))) {
            return program.get().toFloatArray();
        }
    }

    private static void assertSameBitsOnBoth(String what, Supplier<Tensor> program) {
        float[] cpu = on("cpu", program);
        float[] ref = on("reference", program);
        assertEquals(ref.length, cpu.length, what);
        for (int i = 0; i < ref.length; i++) {
            int c = Float.floatToRawIntBits(cpu[i]);
            int r = Float.floatToRawIntBits(ref[i]);
            int at = i;
            assertEquals(r, c, () -> what + " element " + at + ": cpu " + cpu[at] + ", reference " + ref[at]);
        }
    }

    @Test
    void elementwiseProgramsAgreeBitForBit() {
        for (int n : new int[] {0, 1, 7, 511, 513, 100003}) {
            assertSameBitsOnBoth("polynomials n=" + n, () -> {
                Tensor x = Tensor.linspace(DType.F32, -20, 20, n);
                return x.sin().mul(x.exp().add(1).log()).add(x.tanh().mul(x.sigmoid())).add(x.abs().sqrt());
            });
            assertSameBitsOnBoth("selects and F16 n=" + n, () -> {
                Tensor x = Tensor.arange(DType.F32, n).mul(0.37).sub(n * 0.1);
                Tensor h = x.to(DType.F16).mul(x.to(DType.F16)).to(DType.F32);
                return Tensor.where(x.gt(0), h, x.floor().div(3)).max(-7.5);
            });
            assertSameBitsOnBoth("integers n=" + n, () -> {
                Tensor i = Tensor.arange(DType.I32, n);
                return i.mul(Tensor.full(DType.I32, -7919, n)).xor(i.shiftLeft(5)).rem(Tensor.full(DType.I32, 97, n))
                        .to(DType.F32);
            });
        }
    }

    @Test
    void gathersScatterAddsAndMatmulAgree() {
        assertSameBitsOnBoth("gather", () -> {
            Tensor table = Tensor.linspace(DType.F32, -1, 1, 1000);
            Tensor idx = Tensor.arange(DType.I32, 5000).mul(Tensor.full(DType.I32, 7, 5000))
                    .rem(Tensor.full(DType.I32, 1000, 5000));
            return table.gather(idx);
        });
        assertSameBitsOnBoth("scatter-add of integers", () -> {
            Tensor target = Tensor.zeros(DType.I32, 10);
            Tensor idx = Tensor.arange(DType.I32, 100003).rem(Tensor.full(DType.I32, 10, 100003));
            return target.scatterAdd(idx, Tensor.arange(DType.I32, 100003)).to(DType.F32);
        });
        assertSameBitsOnBoth("matmul (gemm, same fma order)", () -> {
            Tensor a = Tensor.linspace(DType.F32, -1, 1, 64 * 33).reshape(64, 33);
            Tensor b = Tensor.linspace(DType.F32, 2, -1, 33 * 70).reshape(33, 70);
            return a.matmul(b);
        });
    }

    @Test
    void sumsAgreeWithinTheSumBound() {
        for (int n : new int[] {0, 1, 511, 513, 100003, 1 << 20}) {
            float[] cpu = on("cpu", () -> Tensor.linspace(DType.F32, -3, 5, n).sum());
            float[] ref = on("reference", () -> Tensor.linspace(DType.F32, -3, 5, n).sum());
            double abs = n * 5.0;
            assertTrue(Math.abs(cpu[0] - ref[0]) <= 2 * n * 0x1p-23 * abs, "sum n=" + n + ": " + cpu[0] + " vs " + ref[0]);
        }
    }

    @Test
    void trainingLikeLoopCompilesNothingAfterTheFirstStep() {
        try (var s = Weft.device(Device.of("cpu"))) {
            Tensor w = Tensor.zeros(DType.F32, 3, 4096).eval();
            Tensor target = Tensor.linspace(DType.F32, -1, 1, 3 * 4096).reshape(3, 4096).eval();
            double previous = Double.MAX_VALUE;
            for (int step = 0; step < 6; step++) {
                long compiled = Weft.stats().kernelsCompiled();
                Tensor lr = Tensor.opaque(DType.F32, 0.5 / (step + 1));
                Tensor grad = target.sub(w);
                w = w.add(grad.mul(lr)).eval();
                double loss = grad.squaredNorm(0).sum().item();
                if (step > 0) {
                    assertEquals(compiled, Weft.stats().kernelsCompiled(), "step " + step + " compiled a kernel");
                }
                assertTrue(loss < previous, "step " + step + ": loss " + loss + " after " + previous);
                previous = loss;
            }
            // each step keeps (1 - lr) of the residual: w = target * (1 - prod(1 - 0.5 / (s + 1)))
            double residual = 1;
            for (int step = 0; step < 6; step++) {
                residual *= 1 - 0.5 / (step + 1);
            }
            float[] fitted = w.toFloatArray();
            float[] t = target.toFloatArray();
            float[] expected = new float[t.length];
            for (int i = 0; i < t.length; i++) {
                expected[i] = (float) (t[i] * (1 - residual));
            }
            assertArrayEquals(expected, fitted, 1e-5f);
        }
    }

    /**
     * Issue 9: closing a cpu device that had been used threw "Already closed" from the JDK's
     * Arena, because the allocator freed live buffers and then freed them again from its cache.
     */
    @Test
    void closingAUsedCpuDeviceFreesEachBufferOnce() {
        Device cpu = Device.of("cpu");
        try (var s = Weft.device(cpu)) {
            Tensor kept = Tensor.arange(DType.F32, 1000).mul(2).eval();
            try (var step = Weft.scope()) {
                Tensor.arange(DType.F32, 1000).add(1).eval(); // freed into the cache when the scope closes
            }
            assertEquals(999_000.0, kept.sum().item(), "2 * (0 + 1 + ... + 999)");
        }
        assertDoesNotThrow(cpu::close);
        assertTrue(cpu.isClosed());
        assertNotSame(cpu, Device.of("cpu"), "Device.of opens a fresh device after close()");
    }
}
