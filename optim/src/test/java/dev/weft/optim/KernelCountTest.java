package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Kernels of a training step (issue 11, item 3), counted with {@code Weft.stats()}: a packed F16
 * network of two layers (one {@link Parameter} cell, {@link MatrixView}s into it), trained with
 * {@code net.update(opt)}, forward, {@code backward()}, {@code step()}.
 */
class KernelCountTest {
    static final int IN = 2;
    static final int HIDDEN = 16;
    static final int OUT = 3;
    static final int LANES = 512;
    static final int SIZE = HIDDEN * IN + HIDDEN + OUT * HIDDEN + OUT;

    /** A packed network: one F16 cell, a weight and a bias view per layer. */
    static final class PackedNet {
        final OptimizerTest.Cells cells = new OptimizerTest.Cells();
        final Parameter cell;

        PackedNet(long seed) {
            Random r = new Random(seed);
            float[] w = new float[SIZE];
            for (int i = 0; i < SIZE; i++) {
                w[i] = (float) ((r.nextDouble() * 2 - 1) * 0.5);
            }
            cells.with("weights", Tensor.of(w).to(DType.F16));
            cell = cells.cells.get("weights");
        }

        Tensor loss(Tensor x, Tensor target) {
            MatrixView w0 = MatrixView.of(cell, HIDDEN, IN, 0, IN, Layout.TRAINING);
            MatrixView b0 = MatrixView.of(cell, HIDDEN, 1, HIDDEN * IN, 1, Layout.TRAINING);
            long base = HIDDEN * IN + HIDDEN;
            MatrixView w1 = MatrixView.of(cell, OUT, HIDDEN, base, HIDDEN, Layout.TRAINING);
            MatrixView b1 = MatrixView.of(cell, OUT, 1, base + OUT * HIDDEN, 1, Layout.TRAINING);
            CoopVec h = CoopVec.of(x.to(DType.F16)).matvec(w0, b0, false).max(0.0);
            Tensor y = h.matvec(w1, b1, false).toTensor().to(DType.F32);
            return y.sub(target).squaredNorm(0);
        }
    }

    static Tensor inputs() {
        Tensor t = Tensor.arange(DType.F32, LANES).div(LANES);
        return Tensor.stack(t, t.mul(t)).eval();
    }

    static Tensor targets() {
        Tensor t = Tensor.arange(DType.F32, LANES).div(LANES);
        return Tensor.stack(t.sin(), t.cos(), t.mul(0.5)).eval();
    }

    /**
     * Kernels launched and compiled in each of {@code steps} iterations of a training loop as a
     * user writes it: {@code net.update(opt)}, the forward pass (whose matvec schedules the new F16
     * weights: tracing launches nothing), an evaluation ({@code Weft.flush()}, as reading the
     * previous loss would: it runs the previous iteration's forward and backward pass and its
     * step, with the cast of the new weights), then {@code step} (backward and the optimizer's
     * step, left pending).
     */
    static long[][] count(Optimizer opt, Consumer<Tensor> step, int steps) {
        PackedNet net = new PackedNet(7);
        Tensor x = inputs();
        Tensor target = targets();
        opt.update(net.cells);
        Weft.flush();
        long[][] out = new long[steps][];
        for (int i = 0; i < steps; i++) {
            Weft.stats().reset();
            net.cells.update(opt);
            Tensor loss = net.loss(x, target);
            Weft.flush();
            step.accept(loss);
            out[i] = new long[] {Weft.stats().kernelsLaunched(), Weft.stats().kernelsCompiled()};
        }
        return out;
    }

    /**
     * Iterations 2.. launch {@code kernels} each (the forward and backward pass is one), and
     * iterations 3.. compile nothing: iteration 2 runs the first step's kernels (its evaluation
     * runs what iteration 1 left pending), so after the first step nothing compiles.
     */
    private static void assertSteadyState(long[][] counts, long kernels, String what) {
        for (int i = 1; i < counts.length; i++) {
            assertEquals(kernels, counts[i][0], what + ": kernels launched in iteration " + (i + 1));
            if (i >= 2) {
                assertEquals(0, counts[i][1], what + ": kernels compiled in iteration " + (i + 1));
            }
        }
    }

    @Test
    void anAdamStepIsOneKernelThatAlsoWritesTheF16WeightsAndCompilesNothingAfterTheFirst() {
        Adam opt = new Adam(1e-2);
        long[][] counts = count(opt, loss -> {
            loss.backward();
            opt.step();
        }, 5);
        assertSteadyState(counts, 2, "forward and backward, then the Adam step with the F16 cast");
    }

    @Test
    void withAGradScalerTheStepIsTwoKernels() {
        Adam opt = new Adam(1e-2);
        GradScaler scaler = new GradScaler();
        long[][] counts = count(opt, loss -> {
            scaler.scale(loss).backward();
            scaler.step(opt);
        }, 5);
        assertSteadyState(counts, 3, "forward and backward, the finite check, the masked Adam step with the cast");
    }

    @Test
    void aLearningRateScheduleCompilesNothing() {
        Adam opt = new Adam(1e-2);
        LrSchedule schedule = LrSchedule.warmup(2, LrSchedule.cosine(1e-2, 6));
        long[] step = {0};
        long[][] counts = count(opt, loss -> {
            schedule.apply(opt, step[0]++);
            loss.backward();
            opt.step();
        }, 6);
        assertSteadyState(counts, 2, "Adam under a schedule");
    }

    @Test
    void everyElementwiseOptimizerStepsInOneKernel() {
        for (Optimizer opt : new Optimizer[] {new SGD(1e-2), new SGD(1e-2).momentum(0.9).nesterov(true),
            new RMSProp(1e-3), new AdamW(1e-2, 0.01), new Adam(1e-2).amsgrad(true)}) {
            long[][] counts = count(opt, loss -> {
                loss.backward();
                opt.step();
            }, 4);
            assertSteadyState(counts, 2, opt.kind());
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is held for its effect
    void aStepPerScopeKeepsTheCastInTheAdamKernelWhenTheNetIsUpdatedInside() {
        Adam opt = new Adam(1e-2);
        PackedNet net = new PackedNet(7);
        Tensor x = inputs();
        Tensor target = targets();
        opt.update(net.cells);
        net.cells.update(opt);
        for (int i = 0; i < 4; i++) {
            Weft.stats().reset();
            try (var step = Weft.scope()) {
                net.loss(x, target).backward();
                opt.step();
                net.cells.update(opt); // traced before the scope closes and evaluates: one kernel with the step
            }
            if (i >= 1) {
                assertEquals(2, Weft.stats().kernelsLaunched(), "iteration " + (i + 1));
            }
        }
    }

    @Test
    void trainingWithTheCountedLoopLowersTheLoss() {
        Adam opt = new Adam(2e-2);
        PackedNet net = new PackedNet(7);
        Tensor x = inputs();
        Tensor target = targets();
        opt.update(net.cells);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 30; i++) {
            net.cells.update(opt);
            Tensor loss = net.loss(x, target);
            loss.backward();
            opt.step();
            double l = loss.sum().item();
            first = i == 0 ? l : first;
            last = l;
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }
}
