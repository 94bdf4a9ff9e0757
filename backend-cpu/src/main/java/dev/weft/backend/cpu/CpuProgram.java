package dev.weft.backend.cpu;

import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * A kernel compiled for the chunk executor: one {@link Step} per instruction and the number of
 * registers of each class a worker needs. A launch cuts the lanes into chunks of {@link #CHUNK};
 * worker {@code w} of {@code T} runs chunks {@code w, w + T, w + 2T, ...}, each with every step
 * over the chunk in its own {@link Frame}; per-thread partial results (outer products, lane
 * reductions) are combined once at the end, in worker order. The fixed assignment makes those
 * sums the same from run to run for a given number of threads (taking chunks in turn, as a
 * work queue does, made a training run's losses differ in the last bits between runs).
 *
 * <p>A launch whose estimated work is smaller than waking a worker costs ({@link
 * #INLINE_NANOS}) runs every worker's share on the calling thread, one after the other, each
 * in its own frame: the same chunks with the same partial sums, so the same bits, without the
 * hand-off.
 */
final class CpuProgram implements Program {
    /** Lanes per chunk: a layer's activations for one chunk stay in L1/L2 (PERFORMANCE.md). */
    static final int CHUNK = 512;

    /** Launches estimated below this many nanoseconds of work run on the calling thread alone. */
    static final long INLINE_NANOS = 50_000;

    private final Kernel kernel;
    private final Step[] steps;
    private final int[] registersPerClass;
    /** Estimated nanoseconds of chunk work per lane (see {@link CpuCompiler}). */
    private final double nanosPerLane;
    private Frame[] frames = new Frame[0];
    private Step.Exec[][] execs = new Step.Exec[0][];

    CpuProgram(Kernel kernel, Step[] steps, int[] registersPerClass, double nanosPerLane) {
        this.kernel = kernel;
        this.steps = steps;
        this.registersPerClass = registersPerClass;
        this.nanosPerLane = nanosPerLane;
    }

    /** The same program with one more step at the end (tests use it to make a kernel fail on purpose). */
    CpuProgram withExtraStep(Step extra) {
        Step[] more = java.util.Arrays.copyOf(steps, steps.length + 1);
        more[steps.length] = extra;
        return new CpuProgram(kernel, more, registersPerClass, nanosPerLane);
    }

    /** The chunk registers of {@code cls} that a worker's frame holds. */
    int registers(RegisterClass cls) {
        return registersPerClass[cls.ordinal()];
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    /** Runs lanes {@code 0 .. n-1} on up to all of {@code workers}; one launch at a time. */
    void launch(CpuWorkers workers, CpuBuffer[] buffers, long[] params, long n) {
        launch(workers, buffers, params, n, n * nanosPerLane < INLINE_NANOS);
    }

    /**
     * Runs lanes {@code 0 .. n-1}: every worker's share of the chunks, on the workers or (with
     * {@code onCaller}) one share after the other on the calling thread.
     */
    synchronized void launch(CpuWorkers workers, CpuBuffer[] buffers, long[] params, long n, boolean onCaller) {
        long chunks = (n + CHUNK - 1) / CHUNK;
        int tasks = (int) Math.min(workers.threads(), chunks);
        ensureFrames(tasks);
        Launch launch = new Launch(buffers, params, n, kernel.instructions().size());
        for (Step s : steps) {
            s.prepare(launch);
        }
        for (int w = 0; w < tasks; w++) {
            frames[w].launch = launch;
        }
        AtomicBoolean stop = new AtomicBoolean();
        long[] failedAt = {-1};
        IntConsumer share = w -> {
            Step.Exec[] mine = execs[w];
            for (Step.Exec e : mine) {
                e.reset(); // on the thread that runs the share: broadcasts of uniform values in parallel
            }
            for (long c = w; c < chunks && !stop.get(); c += tasks) {
                long base = c * CHUNK;
                int lanes = (int) Math.min(CHUNK, n - base);
                try {
                    for (Step.Exec e : mine) {
                        e.run(base, lanes);
                    }
                } catch (RuntimeException | Error e) {
                    stop.set(true); // the others stop after their current chunk
                    synchronized (failedAt) {
                        if (failedAt[0] < 0) {
                            failedAt[0] = base;
                        }
                    }
                    throw e;
                }
            }
        };
        try {
            if (onCaller) {
                for (int w = 0; w < tasks; w++) {
                    share.accept(w);
                }
            } else {
                workers.run(tasks, share);
            }
        } catch (RuntimeException | Error e) {
            long base = failedAt[0];
            throw new IllegalStateException(String.format(
                    "cpu: kernel %s failed on lanes [%d, %d) of %d: %s; the device stays usable "
                            + "(run with -Dweft.debug=2 for the kernel listing)",
                    kernel.name(), base, Math.min(n, base + CHUNK), n, e), e);
        } finally {
            for (int w = 0; w < tasks; w++) {
                frames[w].launch = null;
            }
        }
        Step.Exec[] column = new Step.Exec[tasks];
        for (int i = 0; i < steps.length; i++) {
            for (int w = 0; w < tasks; w++) {
                column[w] = execs[w][i];
            }
            steps[i].finish(launch, column);
        }
    }

    private void ensureFrames(int tasks) {
        if (frames.length >= tasks) {
            return;
        }
        Frame[] f = java.util.Arrays.copyOf(frames, tasks);
        Step.Exec[][] x = java.util.Arrays.copyOf(execs, tasks);
        for (int w = frames.length; w < tasks; w++) {
            f[w] = new Frame(registersPerClass);
            x[w] = new Step.Exec[steps.length];
            for (int i = 0; i < steps.length; i++) {
                x[w][i] = steps[i].bind(f[w]);
            }
        }
        frames = f;
        execs = x;
    }
}
