package dev.weft.schedule;

import dev.weft.trace.Node;
import dev.weft.ir.Op;
import dev.weft.trace.OpaqueScalar;
import dev.weft.trace.Tracer;
import dev.weft.memory.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Store-to-load forwarding among the effects of one evaluation. A scheduled tensor is a plain
 * store of its value into a fresh buffer, and whatever was traced from it afterwards loads that
 * buffer; such a reader would wait a wave for the store. Where the reader's loads match the
 * stores' indices, the reader takes the stored values instead and runs in the stores' wave,
 * usually in their very kernel, which computes those values anyway. An optimizer's scheduled
 * update and the cast of the new weights that the next forward pass reads become one kernel so.
 *
 * <p>A reader is rewritten only if it then waits on nothing the stores do not wait on (else it
 * would recompute the values in a later kernel instead of loading them), and a store that is
 * itself rewritten is forwarded in its rewritten form, so every copy of a value is one node.
 * Buffers qualify when every pending write to them is a plain store of this evaluation (not a
 * scatter-add into a copy); at most 64 pending buffers are considered, beyond that nothing is
 * forwarded.
 */
final class LoadForwarding {
    private final List<Buffer> bits = new ArrayList<>();
    /** Forwardable buffers: their plain stores. */
    private final Map<Buffer, List<Node>> stores;
    /** Per node: bits of forwardable buffers it loads at a store's index (through its arguments). */
    private final Map<Node, Long> forwardable = new IdentityHashMap<>();
    /** Per node: bits of pending buffers it reads otherwise. */
    private final Map<Node, Long> waiting = new IdentityHashMap<>();
    /** Per forwardable buffer bit: the pending buffers its stores wait on once rewritten. */
    private final Map<Integer, Long> waitsOfBuffer = new IdentityHashMap<>();
    /** Per store node: its final form (rewritten or itself). */
    private final Map<Node, Node> finalStore = new IdentityHashMap<>();
    private final Map<Node, Node> rewritten = new IdentityHashMap<>();

    private LoadForwarding(Map<Buffer, List<Node>> stores) {
        this.stores = stores;
    }

    /** {@code work} with the effects that can read stored values instead of waiting rewritten. */
    static List<Effect> apply(List<Effect> work) {
        Map<Buffer, List<Node>> stores = new IdentityHashMap<>();
        for (Effect e : work) {
            if (e instanceof Effect.Scatter s && isPlainStore(s.node())) {
                stores.computeIfAbsent(s.target(), b -> new ArrayList<>()).add(s.node());
            }
        }
        stores.entrySet().removeIf(en -> en.getKey().pendingWrites() != en.getValue().size());
        if (stores.isEmpty()) {
            return work;
        }
        LoadForwarding f = new LoadForwarding(stores);
        if (!f.assignBits(work)) {
            return work;
        }
        List<Effect> out = new ArrayList<>(work.size());
        for (Effect e : work) {
            if (e instanceof Effect.Scatter s) {
                Node r = f.finalForm(s.node());
                out.add(r == s.node() ? e : new Effect.Scatter(r));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** A store of a value at {@code lane} or {@code lane + offset}, unmasked: what scheduling a tensor records. */
    private static boolean isPlainStore(Node n) {
        if (n.op() != Op.SCATTER) {
            return false;
        }
        Node mask = n.arg(2);
        return mask.isLiteral() && mask.imm() != 0 && isLaneIndex(n.arg(0), n.size());
    }

    private static boolean isLaneIndex(Node index, int size) {
        if (index.op() == Op.LANE) {
            return index.size() == size;
        }
        return index.op() == Op.ADD && index.arg(0).op() == Op.LANE && index.arg(0).size() == size
                && index.arg(1).op() == Op.PARAM;
    }

    /** Equal indices, by structure: the trace of a load may have been cut from its store's (see Tracer). */
    private static boolean sameIndex(Node a, Node b) {
        if (a.equals(b)) {
            return true;
        }
        return a.op() == Op.ADD && b.op() == Op.ADD && a.arg(0).equals(b.arg(0)) && a.arg(1).op() == Op.PARAM
                && b.arg(1).op() == Op.PARAM && a.arg(1).type() == b.arg(1).type()
                && paramBits(a.arg(1)) == paramBits(b.arg(1));
    }

    /** The bits a parameter passes: an opaque scalar's, or a launch value's own. */
    private static long paramBits(Node param) {
        return param.ref() instanceof OpaqueScalar o ? o.bits() : param.imm();
    }

    /** The store whose value a load of a forwardable buffer reads, or null. */
    private Node storeRead(Node n) {
        if (n.op() != Op.LOAD || !(n.ref() instanceof Buffer b)) {
            return null;
        }
        List<Node> candidates = stores.get(b);
        if (candidates == null) {
            return null;
        }
        for (Node s : candidates) {
            if (sameIndex(s.arg(0), n.arg(0)) && s.arg(1).type() == n.type()) {
                return s;
            }
        }
        return null;
    }

    /** Gives each pending buffer read a bit and fills the masks; false past 64 buffers. */
    private boolean assignBits(List<Effect> work) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Effect e : work) {
            if (!(e instanceof Effect.Scatter s)) {
                continue;
            }
            stack.push(s.node());
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                if (forwardable.containsKey(n)) {
                    stack.pop();
                    continue;
                }
                boolean ready = true;
                for (int i = 0; i < n.arity(); i++) {
                    if (!forwardable.containsKey(n.arg(i))) {
                        stack.push(n.arg(i));
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                stack.pop();
                long fwd = 0;
                long other = 0;
                for (int i = 0; i < n.arity(); i++) {
                    fwd |= forwardable.get(n.arg(i));
                    other |= waiting.get(n.arg(i));
                }
                boolean reads = n.op() == Op.LOAD || n.op() == Op.GATHER || n.op() == Op.MATVEC;
                if (reads && n.ref() instanceof Buffer b && b.pendingWrites() > 0) {
                    int bit = bit(b);
                    if (bit < 0) {
                        return false;
                    }
                    if (storeRead(n) != null) {
                        fwd |= 1L << bit;
                    } else {
                        other |= 1L << bit;
                    }
                }
                forwardable.put(n, fwd);
                waiting.put(n, other);
            }
        }
        return true;
    }

    private int bit(Buffer b) {
        int i = bits.indexOf(b);
        if (i < 0) {
            if (bits.size() == Long.SIZE) {
                return -1;
            }
            bits.add(b);
            i = bits.size() - 1;
        }
        return i;
    }

    /** The effect rooted at {@code root} as it will run: rewritten if that makes it wait on nothing more. */
    private Node finalForm(Node root) {
        Node known = finalStore.get(root);
        if (known != null) {
            return known;
        }
        long fwd = forwardable.get(root);
        Node result = root;
        if (fwd != 0) {
            long own = root.ref() instanceof Buffer b && bits.contains(b) ? 1L << bits.indexOf(b) : 0;
            long others = waiting.get(root) & ~own;
            long union = 0;
            for (int bit = 0; bit < bits.size(); bit++) {
                if ((fwd & (1L << bit)) != 0) {
                    union |= waitsOf(bit);
                }
            }
            if ((others & ~union) == 0) {
                result = rewrite(root);
            }
        }
        finalStore.put(root, result);
        return result;
    }

    /** What the stores of buffer {@code bit} wait on, in their final forms. */
    private long waitsOf(int bit) {
        Long known = waitsOfBuffer.get(bit);
        if (known != null) {
            return known;
        }
        long w = 0;
        for (Node s : stores.get(bits.get(bit))) {
            Node f = finalForm(s);
            w |= f == s ? waiting.get(s) | forwardable.get(s) : waitsAfterRewrite(s);
        }
        waitsOfBuffer.put(bit, w);
        return w;
    }

    /** The pending buffers a rewritten store waits on: its own other reads and those of what it forwards. */
    private long waitsAfterRewrite(Node s) {
        long w = waiting.get(s);
        long fwd = forwardable.get(s);
        for (int bit = 0; bit < bits.size(); bit++) {
            if ((fwd & (1L << bit)) != 0) {
                w |= waitsOf(bit);
            }
        }
        return w;
    }

    /** {@code n} with every matching load of a forwardable buffer replaced by the stored value. */
    private Node rewrite(Node n) {
        if (forwardable.getOrDefault(n, 0L) == 0) {
            return n;
        }
        Node done = rewritten.get(n);
        if (done != null) {
            return done;
        }
        Node store = storeRead(n);
        Node r;
        if (store != null && n.op() == Op.LOAD && forwardable.get(n) != 0 && waiting.get(n) == 0) {
            r = finalForm(store).arg(1);
        } else {
            Node[] args = new Node[n.arity()];
            boolean changed = false;
            for (int i = 0; i < args.length; i++) {
                args[i] = rewrite(n.arg(i));
                changed |= args[i] != n.arg(i);
            }
            r = changed ? Tracer.rebuild(n, args) : n;
        }
        rewritten.put(n, r);
        return r;
    }
}
