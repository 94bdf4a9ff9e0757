package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Tensors, lanes and components": code written {@code [batch, features]} runs like the
 * same code written {@code [features, batch]}. A linear model trained by SGD in both layouts
 * takes the same steps (the products are the same fma chains and lane sums, so the reference
 * backend gives the same bits) with the same number of kernels and no gemm.
 */
class LinearModelLayoutTest {
    private static final int BATCH = 300;

    /** Losses of five SGD steps, then the weights; counts kernels and gemms into {@code counts}. */
    private static double[] train(boolean batchMajor, long[] counts) {
        Rng rng = Rng.seed(5);
        Tensor features = rng.random(DType.F32, 3, BATCH).eval();
        Tensor truth = Tensor.of(new float[] {0.5f, -1.25f, 2f}, 1, 3);
        Tensor y = truth.matmul(features).eval();
        Tensor x = batchMajor ? features.transpose().mul(1).eval() : features;
        Tensor target = batchMajor ? y.transpose().mul(1).eval() : y;
        Tensor w = Tensor.zeros(DType.F32, batchMajor ? new long[] {3, 1} : new long[] {1, 3}).requiresGrad(true);
        double[] out = new double[8];
        Weft.Stats stats = Weft.stats();
        long kernels = stats.kernelsLaunched();
        long gemms = stats.gemmsLaunched();
        for (int step = 0; step < 5; step++) {
            Tensor error = (batchMajor ? x.matmul(w) : w.matmul(x)).sub(target);
            Tensor loss = error.mul(error).mean();
            loss.backward();
            Tensor next;
            try (var noGrad = Weft.noGrad()) {
                next = w.sub(w.grad().mul(Tensor.opaque(DType.F32, 0.5))).detach();
            }
            Weft.eval(loss, next);
            w = next.requiresGrad(true);
            out[step] = loss.item();
        }
        counts[0] = Weft.stats().kernelsLaunched() - kernels;
        counts[1] = Weft.stats().gemmsLaunched() - gemms;
        float[] wv = w.toFloatArray();
        for (int i = 0; i < 3; i++) {
            out[5 + i] = wv[i];
        }
        return out;
    }

    @Test
    void batchMajorAndFeatureMajorTrainAlikeInAsManyKernelsWithoutGemm() {
        long[] batchCounts = new long[2];
        long[] featureCounts = new long[2];
        double[] batchMajor = train(true, batchCounts);
        double[] featureMajor = train(false, featureCounts);
        assertArrayEquals(featureMajor, batchMajor, "losses and weights");
        assertTrue(batchMajor[4] < batchMajor[0] / 2, "the loss falls: " + batchMajor[0] + " -> " + batchMajor[4]);
        assertEquals(0, batchCounts[1], "gemms, batch-major");
        assertEquals(0, featureCounts[1], "gemms, feature-major");
        assertEquals(featureCounts[0], batchCounts[0], "kernels");
    }

    @Test
    void aBatchMajorTensorIsOneNodeWhateverTheBatch() {
        Tensor x = Tensor.zeros(DType.F32, 512, 3).add(1);
        assertEquals(1, x.value.nodes().length);
        Tensor column = Tensor.zeros(DType.F32, 512, 1).add(1);
        assertEquals(1, column.value.nodes().length);
    }
}
