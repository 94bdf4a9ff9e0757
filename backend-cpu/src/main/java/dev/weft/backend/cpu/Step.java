package dev.weft.backend.cpu;

/**
 * One instruction of a kernel as the chunk executor runs it. A step is built once per program
 * by {@link CpuCompiler}; {@link #bind} ties it to one worker's {@link Frame} (resolving its
 * register arrays once), and the bound {@link Exec} then runs once per chunk of lanes.
 *
 * <p>Launch life cycle: {@link #prepare} on the calling thread (e.g. convert weights), {@link
 * Exec#reset} on each frame that takes part, {@link Exec#run} per chunk on the workers, then
 * {@link #finish} on the calling thread with the execs of the frames that took part (e.g. add
 * per-thread partial sums to memory).
 */
abstract class Step {
    /** What runs per chunk, on one frame. */
    interface Exec {
        /** Computes lanes {@code base .. base + lanes - 1} (chunk positions {@code 0 .. lanes - 1}). */
        void run(long base, int lanes);

        /** Called once per launch before any chunk runs (uniform values, per-thread partials). */
        default void reset() {}
    }

    /** No per-chunk work. */
    static final Exec NOTHING = (base, lanes) -> { };

    abstract Exec bind(Frame frame);

    /** A step that only needs binding. */
    static Step of(java.util.function.Function<Frame, Exec> binder) {
        return new Step() {
            @Override
            Exec bind(Frame frame) {
                return binder.apply(frame);
            }
        };
    }

    /**
     * The steps of an instruction's components run one after the other on each chunk (the
     * element-wise steps of a vector: they only bind, run and reset).
     */
    static Step perComponent(Step[] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        return of(f -> {
            Exec[] execs = new Exec[parts.length];
            for (int c = 0; c < execs.length; c++) {
                execs[c] = parts[c].bind(f);
            }
            return new Exec() {
                @Override
                public void run(long base, int lanes) {
                    for (Exec e : execs) {
                        e.run(base, lanes);
                    }
                }

                @Override
                public void reset() {
                    for (Exec e : execs) {
                        e.reset();
                    }
                }
            };
        });
    }

    /** Per-launch preparation on the calling thread, before any chunk runs. */
    void prepare(Launch launch) {}

    /** Per-launch completion on the calling thread, after every chunk ran. */
    void finish(Launch launch, Exec[] execs) {}

    /** The smallest multiple of {@code width} (a power of two) that holds {@code lanes}. */
    static int padded(int lanes, int width) {
        return (lanes + width - 1) & -width;
    }
}
