package dev.weft.bench;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Rng;
import dev.weft.Tensor;
import dev.weft.Weft;

/**
 * The training step of issue 10, as a user writes it with the public API: a 2-64-64-64-3 ReLU
 * MLP in F32 with biases, every weight and bias in one {@link Parameter} read through
 * {@code MatrixView.of(cell, ...)}; input {@code [2, B]} and target {@code [3, B]} drawn from an
 * {@link Rng} once; loss = mean over lanes of the squared norm of (output - target);
 * {@code backward()}; an Adam update of the packed buffer written with tensor ops (moments as
 * tensors, bias corrections as {@link Tensor#opaque}); {@code Weft.eval} of loss, moments and
 * weights; the loss read with {@code item()}. The same step as {@code torch_mlp.py} (PyTorch's
 * {@code Linear} initialization, Adam with lr 1e-3, betas 0.9 and 0.999, eps 1e-8).
 *
 * <p>{@link CoopVecStepBench} runs it under JMH; {@link #main} runs it in a loop (for JFR).
 */
public final class CoopVecStep {
    static final int[] WIDTHS = {2, 64, 64, 64, 3};
    static final double LR = 1e-3;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final int[] widths;
    private final Parameter cell;
    private final MatrixView[] weights;
    private final MatrixView[] biases;
    private final Tensor x;
    private final Tensor target;
    private Tensor m;
    private Tensor v;
    private int t;

    /** A network of the given layer widths (input first) over {@code batch} lanes. */
    public CoopVecStep(int[] widths, int batch) {
        this.widths = widths.clone();
        int layers = widths.length - 1;
        weights = new MatrixView[layers];
        biases = new MatrixView[layers];
        long size = 0;
        for (int l = 0; l < layers; l++) {
            size += (long) widths[l + 1] * widths[l] + widths[l + 1];
        }
        Rng rng = Rng.seed(0);
        // PyTorch's Linear: weights and biases uniform in +-1/sqrt(fan_in)
        Tensor init = Tensor.zeros(DType.F32, size);
        Tensor[] parts = new Tensor[2 * layers];
        for (int l = 0; l < layers; l++) {
            double bound = 1 / Math.sqrt(widths[l]);
            parts[2 * l] = rng.uniform(DType.F32, -bound, bound, new long[] {(long) widths[l + 1] * widths[l]});
            parts[2 * l + 1] = rng.uniform(DType.F32, -bound, bound, new long[] {widths[l + 1]});
        }
        init = Tensor.concat(0, parts).eval();
        cell = new Parameter(init.requiresGrad(true));
        long at = 0;
        for (int l = 0; l < layers; l++) {
            int rows = widths[l + 1];
            int cols = widths[l];
            weights[l] = MatrixView.of(cell, rows, cols, at, cols, Layout.TRAINING);
            at += (long) rows * cols;
            biases[l] = MatrixView.of(cell, rows, 1, at, 1, Layout.TRAINING);
            at += rows;
        }
        x = rng.random(DType.F32, widths[0], batch).eval();
        target = rng.random(DType.F32, widths[layers], batch).eval();
        m = Tensor.zeros(DType.F32, size).eval();
        v = Tensor.zeros(DType.F32, size).eval();
    }

    /** The network over {@code batch} lanes. */
    public CoopVecStep(int batch) {
        this(WIDTHS, batch);
    }

    /** The traced output {@code [outputs, B]} of the current weights (nothing runs). */
    Tensor output() {
        CoopVec h = CoopVec.of(x);
        for (int l = 0; l < weights.length; l++) {
            h = h.matvec(weights[l], biases[l], false);
            if (l < weights.length - 1) {
                h = h.max(0.0);
            }
        }
        return h.toTensor();
    }

    /** The traced loss of the current weights (nothing runs). */
    Tensor loss() {
        return output().sub(target).squaredNorm(0).mean();
    }

    /**
     * Inference: the forward pass alone without gradients, its output evaluated (as PyTorch's
     * {@code net(x)} under {@code torch.inference_mode()}); returns it.
     */
    public Tensor infer() {
        try (var noGrad = Weft.noGrad()) {
            return output().eval();
        }
    }

    /** One step; returns the loss before the update. */
    public double step() {
        Tensor w = cell.get();
        Tensor loss = loss();
        loss.backward();
        Tensor g = w.grad();
        t++;
        Tensor c1 = Tensor.opaque(DType.F32, 1 / (1 - Math.pow(BETA1, t)));
        Tensor c2 = Tensor.opaque(DType.F32, 1 / (1 - Math.pow(BETA2, t)));
        Tensor next;
        try (var noGrad = Weft.noGrad()) {
            m = m.mul(BETA1).add(g.mul(1 - BETA1));
            v = v.mul(BETA2).add(g.mul(g).mul(1 - BETA2));
            Tensor update = m.mul(c1).mul(LR).div(v.mul(c2).sqrt().add(EPS));
            next = w.sub(update).detach();
        }
        Weft.eval(loss, m, v, next);
        cell.set(next.requiresGrad(true));
        return loss.item();
    }

    /** Layer widths, input first. */
    int[] widths() {
        return widths.clone();
    }

    /**
     * {@code CoopVecStep BATCH WARMUP_SECONDS SECONDS [THREADS [train|infer]]}: runs the step (or
     * with {@code infer} the forward pass alone, {@link #infer}) for the warm-up
     * time (C2 compiles the kernels' tile methods after several seconds on a loaded machine),
     * then for the measured time, and prints the mean time per measured step. For a profile of
     * the measured part: {@code -XX:StartFlightRecording=delay=<warm-up>s,...}.
     */
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        double warmup = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        if (args.length > 3) {
            System.setProperty("weft.threads", args[3]);
        }
        boolean infer = args.length > 4 && args[4].equals("infer");
        CoopVecStep s = new CoopVecStep(batch);
        java.util.function.DoubleSupplier run = infer ? () -> {
            s.infer();
            return Double.NaN; // no loss computed
        } : s::step;
        double loss = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmup * 1e9) {
            loss = run.getAsDouble();
        }
        int steps = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9 || steps < 3) {
            loss = run.getAsDouble();
            steps++;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double cpuMs = (cpu.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
        System.out.printf("weft_ms_per_step %.3f calling_thread_cpu_ms %.3f steps %d loss %.6f %s%n", ms, cpuMs, steps,
                loss, Weft.stats());
    }
}
