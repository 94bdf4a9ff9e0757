package dev.weft.bench;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.Weft;
import dev.weft.optim.Adam;
import java.util.Map;
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
 * Adam over a packed 2-64-64-64-3 network with biases (P = 8707 parameters in one
 * {@link Parameter}, a {@link MatrixView} per weight and bias), as the {@code optim} module
 * trains it (the layers of {@code nn} do not exist yet), at batch 2^16:
 *
 * <ul>
 *   <li>{@code adamStep}: the optimizer's share of a step: a gradient arrives (a fixed pattern,
 *       through {@code backward()}), {@code opt.step()}, and the next weights the forward pass
 *       reads ({@code cell.set(opt.get(...))}); one kernel over P (the gradient's store, the Adam
 *       update of masters and moments, the weights in the cell's dtype).</li>
 *   <li>{@code trainingStep}: one iteration of the loop: forward, loss, {@code backward()},
 *       {@code opt.step()}, {@code cell.set(opt.get(...))}; two kernels.</li>
 * </ul>
 *
 * <p>Each operation is a {@code Weft.scope()}, which frees its temporaries and evaluates what it
 * leaves (the new masters, moments and weights) when it closes, so memory stays flat and the
 * time of an operation is its own work.
 *
 * <p>{@code dtype} is the network's weight dtype: with F16 the optimizer keeps an F32 master and
 * the Adam kernel also writes the F16 copy. Kernel counts per operation are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdamStepBench {
    static final int WIDTH = 64;
    static final int LANES = 1 << 16;
    static final int[] SIZES = {2, WIDTH, WIDTH, WIDTH, 3};

    @Param({"cpu"})
    public String device;

    @Param({"0"})
    public int threads;

    @Param({"F32", "F16"})
    public String dtype;

    private Weft.Scope scope;
    private Parameter cell;
    private Adam opt;
    private Tensor x;
    private Tensor target;
    private Tensor gradient;

    static int parameterCount() {
        int p = 0;
        for (int l = 0; l + 1 < SIZES.length; l++) {
            p += SIZES[l + 1] * SIZES[l] + SIZES[l + 1];
        }
        return p;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        scope = Weft.device(Device.of(device));
        DType t = DType.valueOf(dtype);
        int p = parameterCount();
        cell = new Parameter(Tensor.of(TrainingStepBench.random(p, 4, 0.125)).to(t).eval());
        opt = new Adam(1e-3);
        opt.update(() -> Map.of("weights", cell.get()));
        x = Tensor.of(TrainingStepBench.random(2 * LANES, 3, 1), 2, LANES).eval();
        target = Tensor.of(TrainingStepBench.random(3 * LANES, 5, 1), 3, LANES).eval();
        gradient = Tensor.of(TrainingStepBench.random(p, 6, 1e-3)).eval();
        for (int i = 0; i < 3; i++) {
            adamStep();
            trainingStep();
        }
        Weft.flush();
        System.out.println("\n" + dtype + ": P = " + p + " parameters; kernels per adamStep: " + kernels(this::adamStep)
                + ", per trainingStep: " + kernels(this::trainingStep));
    }

    private static long kernels(Runnable op) {
        Weft.flush();
        op.run(); // the first call runs what the last one left pending
        long before = Weft.stats().kernelsLaunched();
        op.run();
        op.run();
        return (Weft.stats().kernelsLaunched() - before) / 2;
    }

    private Tensor forward() {
        CoopVec h = CoopVec.of(x.to(cell.dtype()));
        long offset = 0;
        for (int l = 0; l + 1 < SIZES.length; l++) {
            int in = SIZES[l];
            int out = SIZES[l + 1];
            MatrixView w = MatrixView.of(cell, out, in, offset, in, Layout.TRAINING);
            MatrixView b = MatrixView.of(cell, out, 1, offset + (long) out * in, 1, Layout.TRAINING);
            offset += (long) out * in + out;
            h = h.matvec(w, b, false);
            if (l + 2 < SIZES.length) {
                h = h.max(0.0);
            }
        }
        return h.toTensor().to(DType.F32).sub(target).squaredNorm(0);
    }

    @Benchmark
    @SuppressWarnings("try") // the scope is held for its effect
    public Tensor adamStep() {
        try (var step = Weft.scope()) {
            opt.get("weights").to(DType.F32).mul(gradient).sum().backward();
            opt.step();
            cell.set(opt.get("weights"));
        }
        return cell.get();
    }

    @Benchmark
    @SuppressWarnings("try") // the scope is held for its effect
    public Tensor trainingStep() {
        try (var step = Weft.scope()) {
            Tensor loss = forward();
            loss.backward();
            opt.step();
            cell.set(opt.get("weights"));
            return step.keep(loss);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Weft.flush();
        System.out.println("\n" + Weft.stats());
        scope.close();
    }
}
