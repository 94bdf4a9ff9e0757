package dev.weft.backend.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPU backend's worker pool: {@code threads - 1} daemon threads plus the calling thread,
 * which always takes part. {@link #run} starts a number of tasks, waits for all of them and
 * rethrows what failed as one throwable (the others attached as suppressed), so the pool stays
 * usable after a failing kernel.
 */
final class CpuWorkers implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    CpuWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("weft.threads must be at least 1, not " + threads);
        }
        this.threads = threads;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "weft-cpu-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, factory) : null;
    }

    /** The number of threads that work on a launch, the caller's included. */
    int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(w)} for {@code w = 0 .. tasks - 1}, task 0 on the calling thread,
     * and returns when all have ended.
     */
    void run(int tasks, IntConsumer task) {
        if (tasks > threads) {
            throw new AssertionError("CpuWorkers.run(): " + tasks + " tasks for " + threads + " threads");
        }
        if (tasks <= 1) {
            if (tasks == 1) {
                task.accept(0);
            }
            return;
        }
        Throwable[] failures = new Throwable[tasks];
        CountDownLatch done = new CountDownLatch(tasks - 1);
        for (int w = 1; w < tasks; w++) {
            int worker = w;
            pool.execute(() -> {
                try {
                    task.accept(worker);
                } catch (Throwable t) {
                    failures[worker] = t;
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            task.accept(0);
        } catch (Throwable t) {
            failures[0] = t;
        }
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the workers still use this launch's memory: wait for them
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable first = null;
        for (Throwable t : failures) {
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t;
            } else {
                first.addSuppressed(t);
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
