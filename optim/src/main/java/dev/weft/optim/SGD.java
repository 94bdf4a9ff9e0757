package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent, optionally with momentum and Nesterov's update, as PyTorch's
 * {@code SGD} with dampening 0 (reference-semantics.md §5.3):
 * {@code v = fma(mu, v, g)}; step {@code = fma(mu, v, g)} with Nesterov, else {@code v} (or
 * {@code g} without momentum); {@code p = fma(step, -lr, p)}.
 *
 * {@snippet :
 * SGD opt = new SGD(0.1).momentum(0.9).nesterov(true);
 * }
 *
 * <p>State: {@code m}, the velocity (only with momentum).
 */
public final class SGD extends Optimizer {
    private double momentum;
    private boolean nesterov;

    /** @throws IllegalArgumentException if {@code learningRate} is not a finite number > 0 */
    public SGD(double learningRate) {
        super(learningRate);
    }

    /**
     * Sets the momentum {@code mu >= 0} (0 turns it off; moments start at zero when it is turned on).
     *
     * @throws IllegalArgumentException for a negative momentum, or 0 while Nesterov is on
     */
    public SGD momentum(double mu) {
        checkArgument(mu >= 0 && Double.isFinite(mu), "SGD.momentum(): %s; 'momentum' must be >= 0", mu);
        checkArgument(mu > 0 || !nesterov, "SGD.momentum(): 0 while Nesterov acceleration is on; Nesterov "
                + "acceleration assumes momentum > 0 (call nesterov(false) first)");
        momentum = mu;
        return this;
    }

    /** @throws IllegalArgumentException when turned on without momentum (Nesterov assumes momentum > 0) */
    public SGD nesterov(boolean on) {
        checkArgument(!on || momentum > 0, "SGD.nesterov(true): Nesterov acceleration assumes momentum > 0; "
                + "call momentum(m) first");
        nesterov = on;
        return this;
    }

    public double momentum() {
        return momentum;
    }

    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    public SGD maskUpdates(boolean on) {
        super.maskUpdates(on);
        return this;
    }

    @Override
    public SGD clipGradNorm(double max) {
        super.clipGradNorm(max);
        return this;
    }

    @Override
    List<String> momentNames() {
        return momentum == 0 ? List.of() : List.of("m");
    }

    @Override
    Update rule(Slot slot, Tensor value, Tensor grad, double lr) {
        Tensor step = grad;
        Map<String, Tensor> moments = Map.of();
        if (momentum != 0) {
            Tensor mu = constant(value, momentum);
            Tensor v = momentOrZeros(slot, "m", value).fma(mu, grad);
            step = nesterov ? v.fma(mu, grad) : v;
            moments = Map.of("m", v);
        }
        return new Update(step.fma(perStep(value, -lr), value), moments, slot.steps + 1);
    }

    @Override
    String describe() {
        return "  momentum = " + Numbers.g(momentum) + ",\n  nesterov = " + (nesterov ? "True" : "False");
    }
}
