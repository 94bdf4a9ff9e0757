package dev.weft.bench;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The network of {@link MlpBench} written with the public API, as a user writes it: three 64x64
 * layers with bias packed in one buffer ({@link MatrixView}s of a {@link Parameter}), ReLU between
 * them, {@code loss = |y|^2} per lane, {@code backward()}, and the loss and the weight gradient
 * evaluated together. Each call traces the step, differentiates it, finds the cached kernel and
 * launches it once (the core fuses forward, loss and backward into one kernel), so the difference
 * from {@link MlpBench} is the framework's own cost per step.
 *
 * <p>FLOP per lane as in {@link MlpBench} (65536, plus 128 for the loss): 4.303 GFLOP per step
 * at 65536 lanes (GFLOP/s = 4303 / milliseconds per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBench {
    static final int WIDTH = 64;
    static final int LANES = 65536;
    static final int LAYER = WIDTH * WIDTH + WIDTH;

    @Param({"cpu"})
    public String device;

    @Param({"0"})
    public int threads;

    private Weft.Scope scope;
    private Tensor x;
    private Tensor weights;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        scope = Weft.device(Device.of(device));
        x = Tensor.of(random(WIDTH * LANES, 3, 1), WIDTH, LANES).eval();
        weights = Tensor.of(random(3 * LAYER, 4, 0.125)).eval();
    }

    /** {@code n} uniform values in [-scale, scale) from {@code seed}. */
    static float[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    @Benchmark
    public Tensor forwardLossBackward() {
        Tensor w = weights.detach().requiresGrad(true);
        Parameter cell = new Parameter(w);
        CoopVec h = CoopVec.of(x);
        for (int layer = 0; layer < 3; layer++) {
            long base = (long) layer * LAYER;
            MatrixView m = MatrixView.of(cell, WIDTH, WIDTH, base, WIDTH, Layout.TRAINING);
            MatrixView bias = MatrixView.of(cell, WIDTH, 1, base + WIDTH * WIDTH, 1, Layout.TRAINING);
            h = h.matvec(m, bias, false);
            if (layer < 2) {
                h = h.max(0.0);
            }
        }
        Tensor loss = h.toTensor().squaredNorm(0);
        loss.backward();
        Weft.eval(loss, w.grad());
        return w.grad();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + Weft.stats());
        scope.close();
    }
}
