package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSProp (reference-semantics.md §5.4): {@code v = lerp(g^2, v, alpha)}; step {@code =
 * g * rsqrt(v + eps^2)} when {@code eps <= 1e-6}, else {@code g / (sqrt(v) + eps)};
 * {@code p = fma(step, -lr, p)}.
 *
 * <p>State: {@code v}, the running mean of squared gradients.
 */
public final class RMSProp extends Optimizer {
    private double alpha = 0.99;
    private double epsilon = 1e-8;

    /** @throws IllegalArgumentException if {@code learningRate} is not a finite number > 0 */
    public RMSProp(double learningRate) {
        super(learningRate);
    }

    /** The weight of the old mean, in [0, 1) (default 0.99). */
    public RMSProp alpha(double a) {
        checkArgument(a >= 0 && a < 1, "RMSProp.alpha(): %s; 'alpha' must be on the interval [0, 1)", a);
        alpha = a;
        return this;
    }

    /** The term that keeps the division finite, >= 0 (default 1e-8). */
    public RMSProp epsilon(double e) {
        checkArgument(e >= 0 && Double.isFinite(e), "RMSProp.epsilon(): %s; 'epsilon' must be >= 0", e);
        epsilon = e;
        return this;
    }

    public double alpha() {
        return alpha;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public RMSProp maskUpdates(boolean on) {
        super.maskUpdates(on);
        return this;
    }

    @Override
    public RMSProp clipGradNorm(double max) {
        super.clipGradNorm(max);
        return this;
    }

    @Override
    List<String> momentNames() {
        return List.of("v");
    }

    @Override
    Update rule(Slot slot, Tensor value, Tensor grad, double lr) {
        Tensor g2 = grad.mul(grad);
        Tensor v = lerp(g2, momentOrZeros(slot, "v", value), constant(value, alpha));
        Tensor step = epsilon <= 1e-6 ? grad.mul(v.add(epsilon * epsilon).rsqrt())
                : grad.div(v.sqrt().add(epsilon));
        return new Update(step.fma(perStep(value, -lr), value), Map.of("v", v), slot.steps + 1);
    }

    @Override
    String describe() {
        return "  alpha = " + Numbers.g(alpha) + ",\n  epsilon = " + Numbers.g(epsilon);
    }
}
