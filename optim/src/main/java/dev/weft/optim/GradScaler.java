package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loss scaling for mixed-precision training, as the reference keeps it (reference-semantics.md
 * §5.8): {@link #scale} multiplies the loss by the scale before {@code backward()}, so small F16
 * gradients do not flush to zero; {@link #step} unscales the gradients inside the optimizer's
 * step and checks them: if every gradient is finite the step is taken and, once
 * {@code growthInterval} good steps in a row have passed, the scale grows by {@code growthFactor}
 * on every good step (the reference's rule, unlike PyTorch's); if any is infinite or NaN, the
 * parameters and moments keep their values (Adam's step count still advances) and the scale
 * shrinks by {@code backoffFactor}.
 *
 * {@snippet :
 * GradScaler scaler = new GradScaler();
 * scaler.scale(loss).backward();
 * scaler.step(opt);
 * }
 *
 * <p>Nothing is read back to the host: the scale and the count of good steps are one-element
 * device tensors, and the finite check, the new scale and the new count are reductions in one
 * kernel over the parameters, which the masked update (a second kernel) reads.
 */
public final class GradScaler {
    private final double growthFactor;
    private final double backoffFactor;
    private final long growthInterval;
    private boolean debug;
    /**
     * Minus the scale: an F32 scalar, the result of a max-reduction (so every step has one form),
     * in a cell so that it survives {@code Weft.scope()}.
     */
    private Parameter negScale;
    /** Minus the number of good steps in a row: an I32 scalar, likewise. */
    private Parameter negGoodSteps;

    /** The reference's defaults: scale 65536, growth 2, backoff 0.5, growth interval 2000. */
    public GradScaler() {
        this(65536, 2, 0.5, 2000);
    }

    /**
     * @throws IllegalArgumentException unless {@code initScale > 0}, {@code growthFactor >= 1},
     *     {@code 0 < backoffFactor < 1} and {@code growthInterval >= 0}
     */
    public GradScaler(double initScale, double growthFactor, double backoffFactor, long growthInterval) {
        checkArgument(initScale > 0 && Double.isFinite(initScale), "GradScaler(): initial scale %s; it must be a "
                + "finite number > 0", initScale);
        checkArgument(growthFactor >= 1 && Double.isFinite(growthFactor), "GradScaler(): growth factor %s; "
                + "'growth_factor' must be >= 1.", growthFactor);
        checkArgument(backoffFactor < 1, "GradScaler(): backoff factor %s; 'backoff_factor' must be < 1.",
                backoffFactor);
        checkArgument(backoffFactor > 0, "GradScaler(): backoff factor %s; it must be > 0 (the scale must stay "
                + "positive)", backoffFactor);
        checkArgument(growthInterval >= 0, "GradScaler(): growth interval %s; it must be >= 0", growthInterval);
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
        restore(initScale, 0);
    }

    /** Prints a line when the scale changes (this reads the device after every step). */
    public GradScaler debug(boolean on) {
        debug = on;
        return this;
    }

    /** {@code loss} times the scale (F32, or the loss's dtype if wider); differentiate this. */
    public Tensor scale(Tensor loss) {
        Objects.requireNonNull(loss, "GradScaler.scale(): loss");
        return loss.mul(scaleTensor());
    }

    /** {@code x} divided by the scale (a step unscales by itself; this is for reading scaled gradients). */
    public Tensor unscale(Tensor x) {
        Objects.requireNonNull(x, "GradScaler.unscale(): tensor");
        return x.div(scaleTensor());
    }

    /** The current scale, read from the device. */
    public double scaleFactor() {
        return scaleTensor().item();
    }

    /** Good steps in a row so far, read from the device. */
    public long goodSteps() {
        return Math.round(-negGoodSteps.get().item());
    }

    /**
     * Takes {@code optimizer}'s step with unscaled gradients if all of them are finite, else
     * leaves its parameters and moments unchanged; updates the scale either way. Nothing is
     * evaluated here; an optimizer without parameters does nothing.
     */
    @SuppressWarnings("try") // scopes held for their effect
    public void step(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "GradScaler.step(): optimizer");
        if (optimizer.size() == 0) {
            return;
        }
        Tensor good;
        Tensor grow;
        Tensor nextNegScale;
        Tensor nextNegGoodSteps;
        try (var noGrad = Weft.noGrad(); var device = Weft.device(negScale.get().device())) {
            Tensor scale = scaleTensor();
            Tensor goodSteps = goodStepsTensor();
            grow = goodSteps.ge(Tensor.full(DType.I32, Math.min(growthInterval, Integer.MAX_VALUE)));
            Tensor ifGood = Tensor.where(grow, scale.mul(growthFactor), scale).neg();
            Tensor ifBad = scale.mul(backoffFactor).neg();
            Tensor countIfGood = goodSteps.add(1).neg();
            Tensor zero = Tensor.full(DType.I32, 0);
            List<Tensor> scales = new ArrayList<>();
            List<Tensor> counts = new ArrayList<>();
            for (String key : optimizer.keySet()) {
                Tensor g = optimizer.slots().get(key).master().grad();
                if (g == null) {
                    continue; // no gradient: the step uses zeros, which are finite
                }
                Tensor finite = g.detach().abs().lt(Double.POSITIVE_INFINITY);
                // minus the new scale and count are maxima over the elements: one bad element picks the bad value
                scales.add(Tensor.where(finite, ifGood, ifBad).max());
                counts.add(Tensor.where(finite, countIfGood, zero).max());
            }
            nextNegScale = scales.isEmpty() ? ifGood.schedule() : largest(scales);
            nextNegGoodSteps = counts.isEmpty() ? countIfGood.schedule() : largest(counts);
            good = nextNegGoodSteps.lt(0);
            optimizer.step(Tensor.full(DType.F32, 1).div(scale), good);
        }
        negScale.set(nextNegScale);
        negGoodSteps.set(nextNegGoodSteps);
        if (debug) {
            report(good.item() != 0, grow.item() != 0);
        }
    }

    private static Tensor largest(List<Tensor> values) {
        Tensor out = values.getFirst();
        for (int i = 1; i < values.size(); i++) {
            out = out.max(values.get(i));
        }
        return out;
    }

    private void report(boolean good, boolean grew) {
        if (!good) {
            System.out.println("GradScaler: detected overflow/NaN, reducing step size scale to " + scaleFactor());
        } else if (grew) {
            System.out.println("GradScaler: increasing step size scale to " + scaleFactor());
        }
    }

    /** The scale as an F32 scalar tensor on the device. */
    Tensor scaleTensor() {
        return negScale.get().neg();
    }

    /** Sets the state (from a file, or at construction). */
    void restore(double scale, long goodSteps) {
        // max() of a one-element tensor: the same form as the step's reductions give, so kernels that read it keep theirs
        negScale = new Parameter(Tensor.of(new float[] {(float) -scale}).max());
        negGoodSteps = new Parameter(Tensor.of(new int[] {(int) -Math.min(goodSteps, Integer.MAX_VALUE)}).max());
    }

    /** The count of good steps as an I32 scalar tensor on the device. */
    Tensor goodStepsTensor() {
        return negGoodSteps.get().neg();
    }

    public double growthFactor() {
        return growthFactor;
    }

    public double backoffFactor() {
        return backoffFactor;
    }

    public long growthInterval() {
        return growthInterval;
    }

    @Override
    public String toString() {
        return "GradScaler[growth_factor = " + Numbers.g(growthFactor) + ", backoff_factor = "
                + Numbers.g(backoffFactor) + ", growth_interval = " + growthInterval + "]";
    }
}
