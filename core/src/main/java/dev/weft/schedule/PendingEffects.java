package dev.weft.schedule;

import dev.weft.memory.Buffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The side effects recorded and not yet run, from every thread: each thread's own, in the order
 * it recorded them, and all of them by the buffer they write.
 *
 * <p>An evaluation claims what it will run: the calling thread's effects, the writers of the
 * buffers it reads on the host, and, transitively, the writers of every buffer those effects
 * read, whichever thread recorded them. So a value traced on one thread and read on another runs
 * the work it depends on (issue 9: such a read used to see stale or recycled memory), while each
 * thread's unrelated work stays its own, to fuse with what it traces next. Effects of threads
 * that have ended are claimed by the next evaluation that looks beyond its own thread.
 *
 * <p>Every method is called with the scheduler's evaluation lock held, except {@link #record},
 * so tracing never waits for a kernel; this object's monitor guards the bookkeeping.
 */
final class PendingEffects {
    /** A recorded effect, the thread's queue it belongs to, and whether an evaluation has claimed it. */
    private static final class Pending {
        final Effect effect;
        final Queue owner;
        boolean claimed;

        Pending(Effect effect, Queue owner) {
            this.effect = effect;
            this.owner = owner;
        }
    }

    /** One thread's effects in the order recorded (claimed ones are dropped at its next evaluation). */
    private static final class Queue {
        final Thread thread = Thread.currentThread();
        final List<Pending> entries = new ArrayList<>();
        int unclaimed;
    }

    private final ThreadLocal<Queue> queues = ThreadLocal.withInitial(Queue::new);
    /** Unclaimed effects (and, until pruned, claimed ones) by the buffer they write. */
    private final Map<Buffer, List<Pending>> writers = new IdentityHashMap<>();
    private int unclaimed;

    /** Records an effect of the current thread. */
    void record(Effect effect) {
        Queue q = queues.get();
        synchronized (this) {
            Pending p = new Pending(effect, q);
            q.entries.add(p);
            q.unclaimed++;
            writers.computeIfAbsent(effect.target(), b -> new ArrayList<>()).add(p);
            unclaimed++;
        }
    }

    /** Whether the current thread has effects no evaluation has claimed yet. */
    boolean hasPending() {
        Queue q = queues.get();
        synchronized (this) {
            return q.unclaimed > 0;
        }
    }

    /**
     * Claims and returns what an evaluation on the current thread runs: the thread's own effects,
     * the writers of {@code reading}, and every pending effect those read, transitively.
     */
    List<Effect> claim(Collection<Buffer> reading) {
        Queue q = queues.get();
        synchronized (this) {
            List<Effect> work = new ArrayList<>();
            if (q.unclaimed == unclaimed) {
                // every pending effect is this thread's (the usual case): all of them, no graph walks
                for (Pending p : q.entries) {
                    if (!p.claimed) {
                        take(p, work);
                    }
                }
                q.entries.clear();
                writers.clear();
                return work;
            }
            for (Pending p : q.entries) {
                if (!p.claimed) {
                    take(p, work);
                }
            }
            q.entries.clear();
            for (Buffer b : reading) {
                takeWriters(b, work);
            }
            for (List<Pending> ws : writers.values()) {
                for (Pending p : ws) {
                    if (!p.claimed && !p.owner.thread.isAlive()) {
                        take(p, work); // nobody else will run it
                    }
                }
            }
            // what the work reads that other threads still have to write
            for (int i = 0; i < work.size() && unclaimed > 0; i++) {
                for (Buffer b : PendingReads.reads(work.get(i), writers::containsKey)) {
                    takeWriters(b, work);
                }
            }
            prune();
            return work;
        }
    }

    private void takeWriters(Buffer b, List<Effect> work) {
        List<Pending> ws = writers.get(b);
        if (ws != null) {
            for (Pending p : ws) {
                if (!p.claimed) {
                    take(p, work);
                }
            }
        }
    }

    private void take(Pending p, List<Effect> work) {
        p.claimed = true;
        p.owner.unclaimed--;
        unclaimed--;
        work.add(p.effect);
    }

    /** Drops claimed entries from the by-buffer lists (a buffer with no pending writer leaves the map). */
    private void prune() {
        for (Iterator<List<Pending>> it = writers.values().iterator(); it.hasNext(); ) {
            List<Pending> ws = it.next();
            ws.removeIf(p -> p.claimed);
            if (ws.isEmpty()) {
                it.remove();
            }
        }
    }
}
