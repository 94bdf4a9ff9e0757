package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * A learning rate as a function of the step number, set on an optimizer with {@link #apply}.
 * The rate reaches the kernels as an opaque scalar, so a schedule compiles nothing new.
 *
 * {@snippet :
 * LrSchedule schedule = LrSchedule.warmup(100, LrSchedule.cosine(1e-3, 1e-5, 10_000));
 * for (int step = 0; step < 10_000; step++) {
 *     schedule.apply(opt, step);
 *     // forward, backward, opt.step()
 * }
 * }
 *
 * <p>Steps count from 0. {@link #apply} sets the optimizer's own rate; parameters with a rate of
 * their own ({@link Optimizer#setLearningRate(String, double)}) keep theirs.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The learning rate at {@code step} (>= 0); always a finite number > 0. */
    double rate(long step);

    /** Sets {@code optimizer}'s learning rate to {@link #rate rate(step)}. */
    default void apply(Optimizer optimizer, long step) {
        Objects.requireNonNull(optimizer, "LrSchedule.apply(): optimizer");
        checkArgument(step >= 0, "LrSchedule.apply(): step %s; steps count from 0", step);
        optimizer.setLearningRate(rate(step));
    }

    /** The same rate at every step. */
    static LrSchedule constant(double rate) {
        checkRate("constant", rate);
        return step -> rate;
    }

    /**
     * Cosine annealing from {@code base} at step 0 to {@code min} at step {@code steps} (and
     * after): {@code min + (base - min) * (1 + cos(pi * step / steps)) / 2}.
     */
    static LrSchedule cosine(double base, double min, long steps) {
        checkRate("cosine", base);
        checkRate("cosine", min);
        checkArgument(min <= base, "LrSchedule.cosine(): the final rate %s exceeds the initial rate %s", min, base);
        checkArgument(steps > 0, "LrSchedule.cosine(): %s steps; the schedule needs at least one", steps);
        return step -> step >= steps ? min : min + (base - min) * (1 + Math.cos(Math.PI * step / steps)) / 2;
    }

    /** Cosine annealing from {@code base} towards 0, reaching 0.1% of {@code base} at {@code steps}. */
    static LrSchedule cosine(double base, long steps) {
        return cosine(base, base * 1e-3, steps);
    }

    /** Step decay: {@code base * gamma^(step / every)} (integer division), as PyTorch's {@code StepLR}. */
    static LrSchedule step(double base, long every, double gamma) {
        checkRate("step", base);
        checkArgument(every > 0, "LrSchedule.step(): every %s steps; the period must be >= 1", every);
        checkArgument(gamma > 0 && gamma <= 1, "LrSchedule.step(): gamma %s; it must be in (0, 1]", gamma);
        return step -> Math.max(base * Math.pow(gamma, (double) (step / every)), Double.MIN_NORMAL);
    }

    /**
     * A linear warm-up over {@code steps} steps into {@code then}: {@code then.rate(steps) *
     * (step + 1) / (steps + 1)} before, {@code then.rate(step)} from step {@code steps} on.
     */
    static LrSchedule warmup(long steps, LrSchedule then) {
        Objects.requireNonNull(then, "LrSchedule.warmup(): schedule");
        checkArgument(steps >= 0, "LrSchedule.warmup(): %s steps; a warm-up lasts >= 0 steps", steps);
        return step -> step >= steps ? then.rate(step) : then.rate(steps) * (step + 1) / (steps + 1);
    }

    private static void checkRate(String name, double rate) {
        checkArgument(rate > 0 && Double.isFinite(rate), "LrSchedule.%s(): rate %s; learning rates are finite "
                + "numbers > 0", name, rate);
    }
}
