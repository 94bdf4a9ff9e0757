package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ir.Op;
import dev.weft.schedule.Scheduler;
import dev.weft.spi.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel a CoopVec training step compiles to (issue 10): a vector is one value, so the fused
 * forward, loss and backward kernel has a size proportional to the number of layers and not to
 * their width, and its launch parameters do not grow with the layers.
 */
class CoopVecKernelTest {
    private static final int BATCH = 40;

    /**
     * The issue's program up to the gradient: an MLP of the given widths with ReLU, F32, biases,
     * every weight and bias in one packed cell, input and target from an Rng, loss = mean over
     * lanes of |y - target|^2, backward, then Weft.eval(loss, grad); returns what was launched.
     */
    private static List<Scheduler.Launched> step(int... widths) throws Exception {
        int layers = widths.length - 1;
        long size = 0;
        for (int l = 0; l < layers; l++) {
            size += (long) widths[l + 1] * widths[l] + widths[l + 1];
        }
        Rng rng = Rng.seed(3);
        Tensor w = rng.uniform(DType.F32, -0.3, 0.3, new long[] {size}).eval().requiresGrad(true);
        Parameter cell = new Parameter(w);
        Tensor x = rng.random(DType.F32, widths[0], BATCH).eval();
        Tensor target = rng.random(DType.F32, widths[layers], BATCH).eval();
        List<Scheduler.Launched> launched = new ArrayList<>();
        try (AutoCloseable watch = Scheduler.observeLaunches(launched::add)) {
            CoopVec h = CoopVec.of(x);
            long at = 0;
            for (int l = 0; l < layers; l++) {
                int rows = widths[l + 1];
                int cols = widths[l];
                MatrixView m = MatrixView.of(cell, rows, cols, at, cols, Layout.TRAINING);
                MatrixView b = MatrixView.of(cell, rows, 1, at + (long) rows * cols, 1, Layout.TRAINING);
                at += (long) rows * cols + rows;
                h = h.matvec(m, b, false);
                if (l < layers - 1) {
                    h = h.max(0.0);
                }
            }
            Tensor loss = h.toTensor().sub(target).squaredNorm(0).mean();
            loss.backward();
            Weft.eval(loss, w.grad());
        }
        return launched;
    }

    /** The one kernel over the batch's lanes: forward, loss and backward (the mean's division runs over 1 lane). */
    private static Kernel fused(List<Scheduler.Launched> launched) {
        List<Kernel> overBatch = new ArrayList<>();
        for (Scheduler.Launched l : launched) {
            if (l.lanes() == BATCH) {
                overBatch.add(l.kernel());
            } else {
                assertEquals(1, l.lanes(), "a kernel over " + l.lanes() + " lanes:\n" + l.kernel().listing());
            }
        }
        assertEquals(1, overBatch.size(), "kernels over the batch's lanes");
        return overBatch.getFirst();
    }

    private static long count(Kernel k, Op op) {
        return k.instructions().stream().filter(in -> in.op() == op).count();
    }

    @Test
    void theIssuesStepIsOneKernelOfAtMost150Instructions() throws Exception {
        Kernel k = fused(step(2, 64, 64, 64, 3));
        assertTrue(k.instructions().size() <= 150, k.instructions().size() + " instructions:\n" + k.listing());
        // one MATVEC per layer forward, one per hidden layer backward (the input needs no gradient),
        // one OUTER_ADD per weight matrix and per bias
        assertEquals(4 + 3, count(k, Op.MATVEC), k.listing());
        assertEquals(8, count(k, Op.OUTER_ADD), k.listing());
        // components are taken only where the program takes them: the 3 outputs for the loss
        assertEquals(3, count(k, Op.EXTRACT), k.listing());
    }

    @Test
    void theKernelsSizeDoesNotDependOnTheLayersWidth() throws Exception {
        Kernel narrow = fused(step(2, 16, 16, 16, 3));
        Kernel wide = fused(step(2, 64, 64, 64, 3));
        assertEquals(narrow.instructions().size(), wide.instructions().size(), narrow.listing() + wide.listing());
        assertEquals(narrow.params(), wide.params());
    }

    @Test
    void launchParametersDoNotGrowWithTheNumberOfLayers() throws Exception {
        Kernel two = fused(step(2, 64, 64, 3));
        Kernel four = fused(step(2, 64, 64, 64, 64, 3));
        assertEquals(two.params().size(), four.params().size(), two.listing() + four.listing());
        assertTrue(four.instructions().size() > two.instructions().size());
    }

    @Test
    void eachBiasIsOneUniformVectorLoad() throws Exception {
        Kernel k = fused(step(2, 64, 64, 64, 3));
        int biasLoads = 0;
        for (int i = 0; i < k.instructions().size(); i++) {
            Kernel.Instr in = k.instructions().get(i);
            if (in.op() == Op.LOAD && in.length() > 1) {
                biasLoads++;
                assertTrue(k.isUniform(i), "bias load %" + i + " is uniform:\n" + k.listing());
            }
        }
        assertEquals(4, biasLoads, k.listing());
    }
}
