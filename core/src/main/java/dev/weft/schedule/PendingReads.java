package dev.weft.schedule;

import dev.weft.ir.Op;
import dev.weft.memory.Buffer;
import dev.weft.trace.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * For each effect of one evaluation, the buffers with pending writes that its graph reads: what
 * decides whether it runs in this wave or waits for the effects that write them ({@link Scheduler}).
 *
 * <p>The effects of one evaluation share most of their graph (a training step's loss and every
 * gradient come from one forward pass), so the graphs are walked once, together: each pending
 * buffer met gets a bit, and a node's mask is its own buffer's bit or'ed with its arguments'
 * masks, memoized. Walking each effect's graph on its own cost {@code effects x nodes}, an eighth
 * of a small training step's time. Past 64 pending buffers, each effect's graph is walked alone.
 */
final class PendingReads {
    private final Map<Effect, List<Buffer>> reads = new IdentityHashMap<>();

    private PendingReads() {}

    static PendingReads of(List<Effect> work) {
        PendingReads p = new PendingReads();
        if (!p.together(work)) {
            p.reads.clear();
            for (Effect e : work) {
                p.reads.put(e, alone(e));
            }
        }
        return p;
    }

    /** Whether {@code e} reads a buffer, other than its own target, that still has pending writes. */
    boolean waitsOnPending(Effect e) {
        for (Buffer b : reads.get(e)) {
            if (b != e.target() && b.pendingWrites() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The pending buffer {@code n} reads itself, or null. */
    private static Buffer pendingRead(Node n) {
        return readsMemory(n) && n.ref() instanceof Buffer b && b.pendingWrites() > 0 ? b : null;
    }

    private static boolean readsMemory(Node n) {
        return n.op() == Op.LOAD || n.op() == Op.GATHER || n.op() == Op.MATVEC;
    }

    /** One walk over every effect's graph; false if more than 64 pending buffers are read. */
    private boolean together(List<Effect> work) {
        List<Buffer> bits = new ArrayList<>();
        Map<Node, Long> masks = new IdentityHashMap<>(1024);
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Effect e : work) {
            if (e instanceof Effect.Gemm g) {
                reads.put(e, g.reads());
                continue;
            }
            Node root = ((Effect.Scatter) e).node();
            stack.push(root);
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                if (masks.containsKey(n)) {
                    stack.pop();
                    continue;
                }
                boolean ready = true;
                for (int i = 0; i < n.arity(); i++) {
                    if (!masks.containsKey(n.arg(i))) {
                        stack.push(n.arg(i));
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                stack.pop();
                long mask = 0;
                for (int i = 0; i < n.arity(); i++) {
                    mask |= masks.get(n.arg(i));
                }
                Buffer b = pendingRead(n);
                if (b != null) {
                    int bit = bits.indexOf(b);
                    if (bit < 0) {
                        if (bits.size() == Long.SIZE) {
                            return false;
                        }
                        bit = bits.size();
                        bits.add(b);
                    }
                    mask |= 1L << bit;
                }
                masks.put(n, mask);
            }
            List<Buffer> read = new ArrayList<>();
            long mask = masks.get(root);
            for (int bit = 0; bit < bits.size(); bit++) {
                if ((mask & (1L << bit)) != 0) {
                    read.add(bits.get(bit));
                }
            }
            reads.put(e, read);
        }
        return true;
    }

    /** The pending buffers {@code e}'s graph reads, from a walk of its own. */
    private static List<Buffer> alone(Effect e) {
        return reads(e, b -> b.pendingWrites() > 0);
    }

    /** The buffers {@code e} reads (through its graph, or as a gemm's operands) that pass {@code pending}. */
    static List<Buffer> reads(Effect e, Predicate<Buffer> pending) {
        if (e instanceof Effect.Gemm g) {
            return g.reads().stream().filter(pending).toList();
        }
        List<Buffer> found = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(((Effect.Scatter) e).node());
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (readsMemory(n) && n.ref() instanceof Buffer b && pending.test(b)) {
                found.add(b);
            }
            for (int i = 0; i < n.arity(); i++) {
                stack.push(n.arg(i));
            }
        }
        return found;
    }
}
