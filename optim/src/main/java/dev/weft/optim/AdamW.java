package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter; reference-semantics.md §5.6): the Adam
 * result {@code p_adam} from the old value {@code p}, then {@code p = fma(p, -lr * wd, p_adam)},
 * with {@code -lr * wd} multiplied in double and rounded once (as PyTorch's {@code AdamW}).
 */
public final class AdamW extends Adam {
    private final double weightDecay;

    /** @throws IllegalArgumentException for a learning rate <= 0 or a negative weight decay */
    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        checkArgument(weightDecay >= 0 && Double.isFinite(weightDecay), "AdamW(): weight decay %s; "
                + "'weight_decay' must be >= 0", weightDecay);
        this.weightDecay = weightDecay;
    }

    /** AdamW with the reference's default weight decay, 0.01. */
    public AdamW(double learningRate) {
        this(learningRate, 0.01);
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    Update rule(Slot slot, Tensor value, Tensor grad, double lr) {
        Update adam = super.rule(slot, value, grad, lr);
        Tensor decayed = value.fma(perStep(value, -(lr * weightDecay)), adam.value());
        return new Update(decayed, adam.moments(), adam.steps());
    }

    @Override
    String describe() {
        return super.describe() + ",\n  weight_decay = " + Numbers.g(weightDecay);
    }
}
