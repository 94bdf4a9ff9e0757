package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.schedule.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Threads", issue 9: tracing is per thread, but a value read on another thread than
 * the one that traced it runs the work it depends on, whichever thread queued it. Sums and
 * gradients are lane reductions and scatter-adds, queued as pending effects of the tracing thread.
 */
class ThreadsTest {
    /** One thread each, so that "thread A" is the same thread from one call to the next. */
    private final ExecutorService a = Executors.newSingleThreadExecutor();
    private final ExecutorService b = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        a.shutdownNow();
        b.shutdownNow();
    }

    private static <T> T on(ExecutorService thread, Callable<T> work) throws Exception {
        return thread.submit(work).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aSumTracedOnOneThreadReadsRightOnAnother() throws Exception {
        Tensor sum = on(a, () -> Tensor.arange(DType.F32, 10).sum());
        assertEquals(45.0, on(b, sum::item), "0 + 1 + ... + 9 (read 0.0 before issue 9)");
    }

    @Test
    void aGradientComputedOnOneThreadReadsRightOnAnother() throws Exception {
        // buffers of the gradient's size freed into the cache with other contents, to be recycled
        on(b, () -> {
            try (var s = Weft.scope()) {
                Tensor.full(DType.F32, 123, 10).add(0).eval();
            }
            return null;
        });
        Tensor grad = on(a, () -> {
            Tensor x = Tensor.arange(DType.F32, 10).requiresGrad(true);
            x.mul(x).sum().backward();
            return x.grad();
        });
        float[] expected = new float[10];
        for (int i = 0; i < 10; i++) {
            expected[i] = 2 * i; // d/dx sum(x^2) = 2x
        }
        assertArrayEquals(expected, on(b, grad::toFloatArray));
    }

    @Test
    void aKernelOnOneThreadRunsTheWorkAnotherThreadQueuedForItsInput() throws Exception {
        Tensor sum = on(a, () -> Tensor.arange(DType.F32, 10).sum());
        Tensor twice = on(b, () -> sum.mul(2));
        assertEquals(90.0, on(b, twice::item), "2 * 45");
    }

    @Test
    void anotherThreadsUnrelatedWorkStaysQueuedForItsOwnKernels() throws Exception {
        Tensor mine = on(a, () -> Tensor.arange(DType.F32, 100).sum());
        assertEquals(6.0, on(b, () -> Tensor.arange(DType.F32, 4).sum().item()), "0 + 1 + 2 + 3");
        assertTrue(on(a, Scheduler::hasPending), "thread A's sum was not B's to run");
        assertEquals(4950.0, on(a, mine::item));
        assertFalse(on(a, Scheduler::hasPending));
    }

    private record Made(Tensor sum, double offset) {}

    /** Four threads each trace sums and hand them to the others, which read them as they arrive. */
    @Test
    void manyThreadsTracingAndReadingEachOthersValuesGetEveryNumberRight() throws Exception {
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            BlockingQueue<Made> made = new LinkedBlockingQueue<>();
            List<Future<List<String>>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        double offset = id * 1000 + i;
                        made.put(new Made(Tensor.arange(DType.F32, 64).add(offset).sum(), offset)); // pending
                        Made other = made.poll(10, TimeUnit.SECONDS);
                        double want = 2016 + 64 * other.offset(); // 0 + ... + 63, plus 64 offsets: exact in F32
                        double got = other.sum().item();
                        if (got != want) {
                            wrong.add("offset " + other.offset() + ": got " + got + ", want " + want);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> w : workers) {
                assertEquals(List.of(), w.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
