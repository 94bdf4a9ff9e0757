package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Muon (Keller Jordan et al.; reference-semantics.md §5.7): momentum SGD whose update of each 2-D
 * parameter is replaced by the nearest semi-orthogonal matrix ({@link NewtonSchulz}). Per step:
 * {@code m = fma(mu, m, g)} (accumulation, not an average, as the reference), {@code u =
 * fma(mu, m, g)} with Nesterov (the default) else {@code m}; the updates of all parameters of one
 * shape {@code M x N} are orthogonalized as one batch; {@code p = fma(p, -lr * wd, p)} when
 * {@code wd != 0}, then {@code p = fma(-lr * sqrt(max(1, M / N)), X, p)}.
 *
 * {@snippet :
 * Muon hidden = new Muon(0.02);          // the 2-D weights
 * hidden.update(net);                   // takes only the 2-D entries
 * AdamW rest = new AdamW(1e-3, 0.01);    // the biases and the rest, registered with put()
 * }
 *
 * <p>Only 2-D parameters: {@link #update} skips the others, {@link #put} refuses them. State:
 * {@code m}. The iteration's matrix products are gemms, so a Muon step is several kernels.
 */
public final class Muon extends Optimizer {
    private double momentum = 0.95;
    private boolean nesterov = true;
    private int nsSteps = 5;
    private double weightDecay;

    /** @throws IllegalArgumentException if {@code learningRate} is not a finite number > 0 */
    public Muon(double learningRate) {
        super(learningRate);
    }

    /** The momentum, in [0, 1) (default 0.95). */
    public Muon momentum(double mu) {
        checkArgument(mu >= 0 && mu < 1, "Muon.momentum(): %s; 'momentum' must be in [0, 1)", mu);
        momentum = mu;
        return this;
    }

    /** Whether the orthogonalized update is the Nesterov mix {@code fma(mu, m, g)} (default on). */
    public Muon nesterov(boolean on) {
        nesterov = on;
        return this;
    }

    /** Newton–Schulz iterations, >= 1 (default 5). */
    public Muon nsSteps(int steps) {
        checkArgument(steps >= 1, "Muon.nsSteps(): %s; at least one Newton-Schulz iteration", steps);
        nsSteps = steps;
        return this;
    }

    /** Decoupled weight decay, >= 0 (default 0). */
    public Muon weightDecay(double wd) {
        checkArgument(wd >= 0 && Double.isFinite(wd), "Muon.weightDecay(): %s; 'weight_decay' must be >= 0", wd);
        weightDecay = wd;
        return this;
    }

    public double momentum() {
        return momentum;
    }

    public boolean isNesterov() {
        return nesterov;
    }

    public int nsSteps() {
        return nsSteps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public Muon maskUpdates(boolean on) {
        super.maskUpdates(on);
        return this;
    }

    @Override
    public Muon clipGradNorm(double max) {
        super.clipGradNorm(max);
        return this;
    }

    @Override
    boolean accepts(Tensor value) {
        return value.rank() == 2;
    }

    @Override
    void checkRegistrable(String op, String key, Tensor value) {
        checkArgument(value.rank() == 2, "Muon.%s: Muon requires 2-D parameters; got shape %s for '%s' (optimize "
                + "biases and other parameters with AdamW)", op, Arrays.toString(value.shape()), key);
    }

    @Override
    List<String> momentNames() {
        return List.of("m");
    }

    @Override
    Update rule(Slot slot, Tensor value, Tensor grad, double lr) {
        return rules(List.of(slot), List.of(value), List.of(grad)).getFirst();
    }

    @Override
    @SuppressWarnings("try") // scopes held for their effect
    List<Update> rules(List<Slot> list, List<Tensor> values, List<Tensor> grads) {
        List<Tensor> momenta = new ArrayList<>();
        Map<List<Long>, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Tensor value = values.get(i);
            Tensor mu = constant(value, momentum);
            Tensor m = momentOrZeros(list.get(i), "m", value).fma(mu, grads.get(i));
            momenta.add(m);
            byShape.computeIfAbsent(List.of(value.shape()[0], value.shape()[1]), k -> new ArrayList<>()).add(i);
        }
        Update[] out = new Update[list.size()];
        for (Map.Entry<List<Long>, List<Integer>> group : byShape.entrySet()) {
            List<Integer> members = group.getValue();
            Tensor[] directions = new Tensor[members.size()];
            for (int j = 0; j < directions.length; j++) {
                int i = members.get(j);
                Tensor m = momenta.get(i);
                directions[j] = nesterov ? m.fma(constant(m, momentum), grads.get(i)) : m;
            }
            Tensor orthogonal;
            try (var device = Weft.device(directions[0].device())) {
                orthogonal = NewtonSchulz.orthogonalize(Tensor.stack(directions), nsSteps);
            }
            double rows = group.getKey().get(0);
            double cols = group.getKey().get(1);
            double shapeScale = Math.sqrt(Math.max(1, rows / cols));
            for (int j = 0; j < directions.length; j++) {
                int i = members.get(j);
                Slot s = list.get(i);
                Tensor value = values.get(i);
                double lr = rateOf(s);
                try (var device = Weft.device(value.device())) {
                    Tensor kept = weightDecay == 0 ? value : value.fma(perStep(value, -(lr * weightDecay)), value);
                    Tensor next = orthogonal.get(j).fma(perStep(value, -(lr * shapeScale)), kept);
                    out[i] = new Update(next, Map.of("m", momenta.get(i)), s.steps + 1);
                }
            }
        }
        return List.of(out);
    }

    @Override
    String describe() {
        return "  momentum = " + Numbers.g(momentum) + ",\n  nesterov = " + (nesterov ? "True" : "False")
                + ",\n  ns_steps = " + nsSteps + ",\n  weight_decay = " + Numbers.g(weightDecay);
    }
}
