package dev.weft.conformance;

import dev.weft.CoopVec;
import dev.weft.DType;
import dev.weft.Layout;
import dev.weft.MatrixView;
import dev.weft.Parameter;
import dev.weft.Parameterized;
import dev.weft.Tensor;
import dev.weft.Weft;
import dev.weft.optim.Adam;
import dev.weft.optim.AdamW;
import dev.weft.optim.GradScaler;
import dev.weft.optim.Muon;
import dev.weft.optim.Optimizer;
import dev.weft.optim.RMSProp;
import dev.weft.optim.SGD;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Optimizer steps on every backend (reference-semantics.md §5): the ten-step trajectories of each
 * optimizer on {@code (x - 2)^2} from {@code x = 1}, bit for bit the float model of
 * {@link HostOptimizers} and the reference backend (only {@code + - * / sqrt fma} and comparisons:
 * bit-exact); Muon on a 2x2 problem within the reference's own tolerance (1e-4) of its pinned values
 * (its products are gemms: sums in a backend-chosen order); the reference's mixed-precision run
 * with a {@link GradScaler}; and the kernels of an Adam step over a packed network (one, which also
 * writes the next F16 weights).
 */
public final class OptimizerCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "optim";
    private static final int STEPS = 10;

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        out.add(trajectory("sgd", () -> new SGD(0.1), HostOptimizers.sgd(0.1, 0, false)));
        out.add(trajectory("sgd-momentum", () -> new SGD(0.1).momentum(0.9), HostOptimizers.sgd(0.1, 0.9, false)));
        out.add(trajectory("sgd-nesterov", () -> new SGD(0.1).momentum(0.9).nesterov(true),
                HostOptimizers.sgd(0.1, 0.9, true)));
        out.add(trajectory("rmsprop", () -> new RMSProp(0.02), HostOptimizers.rmsprop(0.02, 0.99, 1e-8)));
        out.add(trajectory("rmsprop-large-epsilon", () -> new RMSProp(0.02).alpha(0.9).epsilon(1e-3),
                HostOptimizers.rmsprop(0.02, 0.9, 1e-3)));
        out.add(trajectory("adam", () -> new Adam(0.5), HostOptimizers.adam(0.5, 0.9, 0.999, 1e-8, false, 0)));
        out.add(trajectory("adam-amsgrad", () -> new Adam(0.5).amsgrad(true),
                HostOptimizers.adam(0.5, 0.9, 0.999, 1e-8, true, 0)));
        out.add(trajectory("adam-large-epsilon", () -> new Adam(0.1).betas(0.8, 0.99).epsilon(1e-3),
                HostOptimizers.adam(0.1, 0.8, 0.99, 1e-3, false, 0)));
        out.add(trajectory("adamw", () -> new AdamW(0.5, 0.01), HostOptimizers.adam(0.5, 0.9, 0.999, 1e-8, false, 0.01)));
        out.add(muon());
        out.add(mixedPrecision());
        out.add(adamStepKernels());
        return out;
    }

    /** x after each of ten steps, read on the device (get, backward, step). */
    private static Tensor run(Optimizer opt) {
        opt.put("x", Tensor.of(new float[] {1f}));
        float[] xs = new float[STEPS];
        for (int i = 0; i < STEPS; i++) {
            Tensor u = opt.get("x").sub(2);
            u.mul(u).backward();
            opt.step();
            xs[i] = opt.get("x").toFloatArray()[0];
        }
        return Tensor.of(xs);
    }

    private static ConformanceCase trajectory(String name, Supplier<Optimizer> make, HostOptimizers.Rule rule) {
        float[] host = HostOptimizers.trajectory(rule, STEPS);
        return Checks.program(GROUP + "/trajectory/" + name, GROUP, ResultClass.BIT_EXACT,
                "ten steps of " + make.get().toString().replace('\n', ' ') + " on (x - 2)^2 from x = 1",
                () -> run(make.get()), () -> new Expected.Exact(Values.ofFloats(host)), Tag.F32);
    }

    /**
     * Muon on the reference's 2x2 problem: the values Dr.Jit's {@code test11b_muon} pins, within
     * its tolerance (1e-4); the optim module's tests also check a double model of §5.7.
     */
    private static ConformanceCase muon() {
        float[] x0 = {1, 2, 3, 4};
        float[] target = {0.5f, 1, 1.5f, 2};
        double[] host = {1.068066120147705, 1.9174460172653198, 2.925870418548584, 3.9740560054779053,
            1.1246968507766724, 1.843029260635376, 2.8568994998931885, 3.9446542263031006,
            1.168973445892334, 1.7773514986038208, 2.7934353351593018, 3.9114456176757812,
            1.082324504852295, 1.803946614265442, 2.787897825241089, 3.8374311923980713,
            1.1550300121307373, 1.7182414531707764, 2.7118663787841797, 3.8130948543548584};
        double[] bound = new double[host.length];
        java.util.Arrays.fill(bound, 1e-4);
        return Checks.program(GROUP + "/muon-2x2", GROUP, ResultClass.ORDERED_SUM,
                "five steps of Muon(0.1) on sum((x - t)^2), x = [[1, 2], [3, 4]], t = x / 2", () -> {
                    Muon opt = new Muon(0.1);
                    opt.put("x", Tensor.of(x0, 2, 2));
                    Tensor t = Tensor.of(target, 2, 2);
                    List<Tensor> xs = new ArrayList<>();
                    for (int s = 0; s < 5; s++) {
                        Tensor d = opt.get("x").sub(t);
                        d.mul(d).sum().backward();
                        opt.step();
                        xs.add(Tensor.of(opt.get("x").toFloatArray()));
                    }
                    return Tensor.concat(0, xs.toArray(Tensor[]::new));
                }, () -> new Expected.Bounded(DType.F32, new long[] {host.length}, host, bound), Tag.F32);
    }

    /**
     * The reference's AMP run ({@code test08_amp}): Adam(1) on (x16 - 2)^2 with an F16 forward
     * pass and the default scaler; the first two steps overflow and are skipped, and after 20
     * steps x is 2.00245 within the reference's {@code allclose}.
     */
    private static ConformanceCase mixedPrecision() {
        return Checks.program(GROUP + "/grad-scaler-amp", GROUP, ResultClass.BIT_EXACT,
                "20 steps of Adam(1) on (x.to(F16) - 2)^2 with GradScaler(); x = ones(2, 2)", () -> {
                    Adam opt = new Adam(1);
                    opt.put("x", Tensor.full(DType.F32, 1, 2, 2));
                    GradScaler scaler = new GradScaler();
                    for (int i = 0; i < 20; i++) {
                        Tensor u = opt.get("x").to(DType.F16).sub(2);
                        scaler.scale(u.mul(u).to(DType.F32)).backward();
                        scaler.step(opt);
                    }
                    return opt.get("x");
                }, () -> new Expected.Bounded(DType.F32, new long[] {2, 2}, new double[] {2.00245, 2.00245, 2.00245,
                    2.00245}, new double[] {2e-5, 2e-5, 2e-5, 2e-5}), Tag.F32, Tag.F16);
    }

    /**
     * A packed F16 network (one cell, views into it), trained as a user writes the loop: from the
     * second iteration on, each launches two kernels (forward and backward; the Adam step with the
     * cast of the next F16 weights), and from the third on compiles nothing.
     */
    private static ConformanceCase adamStepKernels() {
        return new ConformanceCase(GROUP + "/adam-step-is-one-kernel", GROUP, EnumSet.of(Tag.F16, Tag.STATS),
                ResultClass.BIT_EXACT, "2-16-3 packed F16 CoopVec network, 512 lanes: net.update(opt), forward, "
                + "Weft.flush() (as reading the previous loss would), backward, opt.step(), five times", device -> {
                    Parameter cell = new Parameter(Tensor.arange(DType.F32, 99).mul(0.37).sin().mul(0.5).to(DType.F16));
                    Parameterized net = () -> Map.of("weights", cell.get());
                    Adam opt = new Adam(1e-2);
                    opt.update(net);
                    Tensor lane = Tensor.arange(DType.F32, 512).div(512);
                    Tensor x = Tensor.stack(lane, lane.mul(lane)).eval();
                    Tensor target = Tensor.stack(lane.sin(), lane.cos(), lane.mul(0.5)).eval();
                    Weft.flush();
                    for (int i = 0; i < 5; i++) {
                        Weft.stats().reset();
                        cell.set(opt.get("weights"));
                        CoopVec h = CoopVec.of(x.to(DType.F16))
                                .matvec(MatrixView.of(cell, 16, 2, 0, 2, Layout.TRAINING),
                                        MatrixView.of(cell, 16, 1, 32, 1, Layout.TRAINING), false).max(0.0);
                        Tensor y = h.matvec(MatrixView.of(cell, 3, 16, 48, 16, Layout.TRAINING),
                                MatrixView.of(cell, 3, 1, 96, 1, Layout.TRAINING), false).toTensor().to(DType.F32);
                        // the previous iteration's work runs here, with the cast of the weights the forward
                        // pass scheduled (tracing launches nothing)
                        Weft.flush();
                        y.sub(target).squaredNorm(0).backward();
                        opt.step();
                        long launched = Weft.stats().kernelsLaunched();
                        long compiled = Weft.stats().kernelsCompiled();
                        if (i >= 1 && launched != 2) {
                            return Outcome.failed("iteration " + (i + 1) + " launched " + launched + " kernels; "
                                    + "expected 2: the forward and backward pass, and the Adam step writing the F16 "
                                    + "weights");
                        }
                        if (i >= 2 && compiled != 0) {
                            return Outcome.failed("iteration " + (i + 1) + " compiled " + compiled + " kernels; "
                                    + "after the first step nothing should compile");
                        }
                    }
                    return Outcome.passed();
                });
    }
}
