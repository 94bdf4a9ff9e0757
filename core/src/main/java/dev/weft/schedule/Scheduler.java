package dev.weft.schedule;

import dev.weft.Config;
import dev.weft.memory.Buffer;
import dev.weft.memory.CachingAllocator;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs pending side effects: groups them by device and domain size, one kernel per group, in
 * waves so that an effect that reads a buffer runs after every pending effect that writes it.
 *
 * <p>Tracing is per thread (each thread records its own effects, see {@link PendingEffects});
 * evaluation takes one global lock, so backends see one caller at a time (DESIGN.md "Threads"),
 * and runs what the reading thread needs, whichever thread recorded it.
 */
public final class Scheduler {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final PendingEffects PENDING = new PendingEffects();
    private static final Map<Backend, Map<Kernel, Program>> PROGRAMS = new WeakHashMap<>();
    private static final List<Consumer<Launched>> OBSERVERS = new CopyOnWriteArrayList<>();

    /** A kernel as it was launched: over {@code lanes} lanes with these parameter values. */
    public record Launched(Kernel kernel, int lanes, long[] params) {}

    private Scheduler() {}

    /** Records an effect of the current thread; it runs at the next evaluation that needs it. */
    public static void record(Effect effect) {
        PENDING.record(effect);
    }

    /** True if the current thread has effects waiting. */
    public static boolean hasPending() {
        return PENDING.hasPending();
    }

    /**
     * Runs every pending effect of the current thread, the pending writers of {@code reading}
     * (buffers about to be read on the host), and whatever other threads' pending effects those
     * depend on.
     */
    public static void evaluate(Buffer... reading) {
        if (!PENDING.hasPending() && reading.length == 0) {
            return; // nothing of this thread's; its reads of memory go through the buffers they name
        }
        LOCK.lock();
        try {
            List<Effect> work = PENDING.claim(Arrays.asList(reading));
            if (!work.isEmpty()) {
                run(work);
            }
        } finally {
            LOCK.unlock();
            Tracer.newTrace(); // what was traced so far has run: its nodes need not be shared with the next trace
        }
    }

    private static void run(List<Effect> work) {
        for (Effect e : work) {
            e.target().addPendingWrite();
        }
        try {
            runWaves(work);
        } catch (RuntimeException | Error e) {
            for (Effect w : work) {
                w.target().clearPendingWrites(); // what failed will not run; readers must not wait forever
            }
            throw e;
        }
    }

    /** Runs {@code body} under the evaluation lock (for transfers that must not interleave with kernels). */
    public static <T> T locked(Supplier<T> body) {
        LOCK.lock();
        try {
            return body.get();
        } finally {
            LOCK.unlock();
        }
    }

    private static void runWaves(List<Effect> pending) {
        List<Effect> work = LoadForwarding.apply(pending);
        PendingReads reads = PendingReads.of(work);
        int wave = 0;
        while (!work.isEmpty()) {
            List<Effect> ready = new ArrayList<>();
            List<Effect> later = new ArrayList<>();
            for (Effect e : work) {
                (reads.waitsOnPending(e) ? later : ready).add(e);
            }
            if (ready.isEmpty()) {
                throw new AssertionError("Scheduler: pending effects wait on each other: " + later);
            }
            runWave(ready, wave++);
            work = later;
        }
    }

    private record GroupKey(CachingAllocator device, int size) {}

    private static void runWave(List<Effect> ready, int wave) {
        Map<GroupKey, List<Node>> groups = new LinkedHashMap<>();
        List<Effect.Gemm> gemms = new ArrayList<>();
        for (Effect e : ready) {
            switch (e) {
                case Effect.Scatter s -> groups.computeIfAbsent(
                        new GroupKey(s.target().allocator(), s.node().size()), k -> new ArrayList<>()).add(s.node());
                case Effect.Gemm g -> gemms.add(g);
            }
        }
        for (Map.Entry<GroupKey, List<Node>> g : groups.entrySet()) {
            launch(g.getKey().device().backend(), g.getKey().size(), g.getValue(), wave);
        }
        for (Effect.Gemm g : gemms) {
            Backend backend = g.c().allocator().backend();
            backend.gemm(g.batch(), g.transA(), g.transB(), g.m(), g.n(), g.k(),
                    g.a().handle(), g.aOffset(), g.b().handle(), g.bOffset(), g.c().handle(), g.cOffset(),
                    g.c().dtype());
            Stats.gemm();
            if (Config.debugLevel() >= 1) {
                System.err.printf("weft: wave %d gemm %dx%dx%d batch %d on %s%n", wave, g.m(), g.n(), g.k(),
                        g.batch(), backend.name());
            }
        }
        for (Effect e : ready) {
            e.target().removePendingWrite();
        }
    }

    private static void launch(Backend backend, int size, List<Node> roots, int wave) {
        Lowering lowering = new Lowering(backend.capabilities());
        KernelBuilder builder = new KernelBuilder();
        for (Node root : roots) {
            builder.add(lowering.lower(root));
        }
        KernelBuilder.Built built = builder.build();
        long t0 = System.nanoTime();
        Program program = program(backend, built.kernel());
        long t1 = System.nanoTime();
        BufferHandle[] handles = new BufferHandle[built.buffers().length];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = built.buffers()[i].handle();
        }
        if (size > 0) {
            backend.launch(program, handles, built.params(), size);
            Stats.launched();
            for (Consumer<Launched> o : OBSERVERS) {
                o.accept(new Launched(built.kernel(), size, built.params().clone()));
            }
        }
        int debug = Config.debugLevel();
        if (debug >= 1) {
            backend.synchronize();
            long t2 = System.nanoTime();
            System.err.printf("weft: wave %d kernel %s over %d lanes, %d instructions, %d buffers, %d params "
                            + "on %s (compile %.2f ms, run %.2f ms)%n", wave, built.kernel().name(), size,
                    built.kernel().instructions().size(), handles.length, built.params().length, backend.name(),
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            if (debug >= 2) {
                System.err.print(built.kernel().listing());
            }
        }
    }

    private static Program program(Backend backend, Kernel kernel) {
        Map<Kernel, Program> cache = PROGRAMS.computeIfAbsent(backend, b -> new HashMap<>());
        Program p = cache.get(kernel);
        if (p == null) {
            p = backend.compile(kernel);
            Stats.compiled();
            cache.put(kernel, p);
        }
        return p;
    }

    /**
     * Calls {@code observer} with every kernel launched (under the evaluation lock, on the
     * evaluating thread) until the returned handle is closed: for tests and tools that inspect
     * what the scheduler builds.
     */
    public static AutoCloseable observeLaunches(Consumer<Launched> observer) {
        OBSERVERS.add(observer);
        return () -> OBSERVERS.remove(observer);
    }

    /** Forgets the compiled programs of a closed backend. */
    public static void forget(Backend backend) {
        LOCK.lock();
        try {
            PROGRAMS.remove(backend);
        } finally {
            LOCK.unlock();
        }
    }
}
