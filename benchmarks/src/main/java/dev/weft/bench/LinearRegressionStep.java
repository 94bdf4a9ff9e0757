package dev.weft.bench;

import dev.weft.DType;
import dev.weft.Rng;
import dev.weft.Tensor;
import dev.weft.Weft;

/**
 * A linear regression step written in the two layouts people write (issue 10, "shapes that
 * people write"): batch-major, {@code x} of shape {@code [B, 3]} and weights {@code [3, 1]}
 * ({@code x.matmul(w)}), or feature-major, {@code x} {@code [3, B]} and weights {@code [1, 3]}
 * ({@code wT.matmul(x)}); the mean squared error against a target, {@code backward()}, an SGD
 * update with an opaque learning rate, {@code Weft.eval} of the loss and the weights, the loss
 * read with {@code item()}. Both layouts hold the same numbers.
 */
public final class LinearRegressionStep {
    static final int FEATURES = 3;
    static final double LR = 0.1;

    private final boolean batchMajor;
    private final Tensor x;
    private final Tensor target;
    private Tensor w;

    /** A model over {@code batch} samples, batch-major or feature-major. */
    public LinearRegressionStep(int batch, boolean batchMajor) {
        this.batchMajor = batchMajor;
        Rng rng = Rng.seed(1);
        Tensor features = rng.random(DType.F32, FEATURES, batch).eval(); // [3, B]
        Tensor truth = Tensor.of(new float[] {0.5f, -1.25f, 2f}, 1, FEATURES);
        Tensor y = truth.matmul(features).add(rng.normal(DType.F32, 1, batch).mul(0.01)).eval(); // [1, B]
        x = batchMajor ? features.transpose().mul(1).eval() : features;
        target = batchMajor ? y.transpose().mul(1).eval() : y;
        long[] shape = batchMajor ? new long[] {FEATURES, 1} : new long[] {1, FEATURES};
        w = Tensor.zeros(DType.F32, shape).eval().requiresGrad(true);
    }

    /** One step; returns the loss before the update. */
    public double step() {
        Tensor prediction = batchMajor ? x.matmul(w) : w.matmul(x);
        Tensor error = prediction.sub(target);
        Tensor loss = error.mul(error).mean();
        loss.backward();
        Tensor next;
        try (var noGrad = Weft.noGrad()) {
            next = w.sub(w.grad().mul(Tensor.opaque(DType.F32, LR))).detach();
        }
        Weft.eval(loss, next);
        w = next.requiresGrad(true);
        return loss.item();
    }

    /** The weights, flat. */
    float[] weights() {
        return w.toFloatArray();
    }

    /**
     * {@code LinearRegressionStep BATCH batch-major|feature-major WARMUP_SECONDS SECONDS [THREADS]}:
     * runs the step for the warm-up time, then for the measured time, and prints the mean time
     * per measured step.
     */
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        boolean batchMajor = args[1].equals("batch-major");
        double warmup = Double.parseDouble(args[2]);
        double seconds = Double.parseDouble(args[3]);
        if (args.length > 4) {
            System.setProperty("weft.threads", args[4]);
        }
        LinearRegressionStep s = new LinearRegressionStep(batch, batchMajor);
        double loss = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmup * 1e9) {
            loss = s.step();
        }
        int steps = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9 || steps < 3) {
            loss = s.step();
            steps++;
        }
        System.out.printf("weft_ms_per_step %.4f steps %d loss %.6g %s%n", (System.nanoTime() - t0) / 1e6 / steps,
                steps, loss, Weft.stats());
    }
}
