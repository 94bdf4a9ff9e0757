package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba), with the reference's AMSGrad and UniformAdam variants
 * (reference-semantics.md §5.5). Per step {@code t}:
 * {@code m = lerp(g, m, b1)}, {@code v = lerp(g^2, v, b2)}, the bias factor
 * {@code f = -sqrt(1 - b2^t) / (1 - b1^t)} computed in double and rounded to the parameter's
 * dtype, {@code scale = lr * f} (a product in that dtype), the normaliser {@code vhat = v}, or
 * {@code max(vmax, v)} kept as the new {@code vmax} (AMSGrad), or the largest element of {@code v}
 * (uniform; AMSGrad wins if both are on); step {@code = m * rsqrt(vhat + eps^2)} when
 * {@code eps <= 1e-6}, else {@code m / (sqrt(vhat) + eps)}; {@code p = fma(step, scale, p)}.
 *
 * {@snippet :
 * Adam opt = new Adam(1e-3).betas(0.9, 0.99).epsilon(1e-15);
 * }
 *
 * <p>State: {@code m}, {@code v}, {@code vmax} (AMSGrad) and the step count {@code t}, which
 * advances on masked and skipped steps too, as in the reference. With {@code uniform}, the
 * largest {@code v} is a reduction: one kernel more per step.
 */
public class Adam extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private boolean amsgrad;
    private boolean uniform;

    /** @throws IllegalArgumentException if {@code learningRate} is not a finite number > 0 */
    public Adam(double learningRate) {
        super(learningRate);
    }

    /** The weights of the old moments, each in [0, 1) (defaults 0.9 and 0.999). */
    public Adam betas(double b1, double b2) {
        checkArgument(b1 >= 0 && b1 < 1, "%s.betas(): beta1 = %s; 'beta_1' must be on the interval [0, 1)", kind(), b1);
        checkArgument(b2 >= 0 && b2 < 1, "%s.betas(): beta2 = %s; 'beta_2' must be on the interval [0, 1)", kind(), b2);
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** The term that keeps the division finite, >= 0 (default 1e-8). */
    public Adam epsilon(double e) {
        checkArgument(e >= 0 && Double.isFinite(e), "%s.epsilon(): %s; 'epsilon' must be >= 0", kind(), e);
        epsilon = e;
        return this;
    }

    /** AMSGrad: normalise by the largest second moment seen so far (its state starts at zero). */
    public Adam amsgrad(boolean on) {
        amsgrad = on;
        return this;
    }

    /** UniformAdam (Nicolet et al. 2021): normalise by the largest element of the second moment. */
    public Adam uniform(boolean on) {
        uniform = on;
        return this;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    public boolean isAmsgrad() {
        return amsgrad;
    }

    public boolean isUniform() {
        return uniform;
    }

    /** The step count of {@code key}: the {@code t} of its next bias correction minus one. */
    public long steps(String key) {
        checkArgument(contains(key), "%s.steps(): no parameter \"%s\"; the registered keys are %s", kind(), key,
                keySet());
        return slots().get(key).steps;
    }

    @Override
    public Adam maskUpdates(boolean on) {
        super.maskUpdates(on);
        return this;
    }

    @Override
    public Adam clipGradNorm(double max) {
        super.clipGradNorm(max);
        return this;
    }

    @Override
    List<String> momentNames() {
        return amsgrad ? List.of("m", "v", "vmax") : List.of("m", "v");
    }

    @Override
    Update rule(Slot slot, Tensor value, Tensor grad, double lr) {
        long t = slot.steps + 1;
        Tensor m = lerp(grad, momentOrZeros(slot, "m", value), constant(value, beta1));
        Tensor g2 = grad.mul(grad);
        Tensor v = lerp(g2, momentOrZeros(slot, "v", value), constant(value, beta2));
        Map<String, Tensor> moments = new LinkedHashMap<>();
        moments.put("m", m);
        moments.put("v", v);
        Tensor vhat = v;
        if (amsgrad) {
            vhat = momentOrZeros(slot, "vmax", value).max(v);
            moments.put("vmax", vhat);
        } else if (uniform) {
            vhat = v.max();
        }
        Tensor step = epsilon <= 1e-6 ? m.mul(vhat.add(epsilon * epsilon).rsqrt()) : m.div(vhat.sqrt().add(epsilon));
        return new Update(step.fma(perStep(value, scale(value.dtype(), lr, t)), value), moments, t);
    }

    /**
     * {@code lr * f}: the bias factor {@code f} in double, rounded to {@code dtype}, times the
     * learning rate rounded to {@code dtype}, the product rounded in {@code dtype} (as the
     * reference multiplies an opaque {@code lr} by the factor's array).
     */
    final double scale(DType dtype, double lr, long t) {
        double f = -Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        return dtype == DType.F64 ? lr * f : (float) lr * (float) f;
    }

    @Override
    String describe() {
        return "  beta = (" + Numbers.g(beta1) + ", " + Numbers.g(beta2) + "),\n  epsilon = " + Numbers.g(epsilon);
    }
}
