package dev.weft;

import dev.weft.memory.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One reverse-mode sweep: seeds the root's cotangent with ones, visits the vertices behind it
 * in reverse topological order, sums the contributions each receives, hands them to its rule,
 * accumulates into the leaves' gradients, then releases the graph.
 *
 * <p>Contributions are lazy tensors, so the adjoint program fuses like a forward one. Some
 * arrive as side effects instead: a gather's adjoint scatter-adds, a matvec's weight gradient is
 * an outer-product accumulation. Those go into one buffer per vertex, created at the first such
 * contribution (zeros, or a copy of the leaf's current gradient, so a pre-set gradient is the
 * starting value), and every effect of the sweep adds into it.
 *
 * <p>Sums run in the accumulation type ({@link #accumulation}: F32 for F16 values, DESIGN.md
 * "Numbers"), so an F16 value's gradient is rounded to F16 once, when it is complete: before its
 * rule sees it, or when a leaf stores it.
 */
final class Backprop {
    private final Map<AdNode, Sums> sums = new IdentityHashMap<>();

    private Backprop() {}

    /** Where a rule sends the cotangents of a vertex's inputs. */
    final class Sink {
        private final AdNode node;

        private Sink(AdNode node) {
            this.node = node;
        }

        /** Adds {@code ct} to input {@code i}'s cotangent (reduced over broadcast axes and cast to fit). */
        void add(int i, Tensor ct) {
            AdNode target = node.inputs()[i];
            if (target != null && ct != null) {
                sums(target).add(fit(ct, target));
            }
        }

        /**
         * Adds side effects into input {@code i}'s cotangent buffer: {@code writer} receives the
         * buffer (of the input's accumulation type and numel, flat in row-major order) and
         * records effects that add into it.
         */
        void addInto(int i, Consumer<Buffer> writer) {
            AdNode target = node.inputs()[i];
            if (target != null) {
                writer.accept(sums(target).buffer());
            }
        }

        /** The input vertex {@code i} (null when that input does not require gradients). */
        AdNode input(int i) {
            return node.inputs()[i];
        }
    }

    /** The contributions a vertex has received so far. */
    private static final class Sums {
        private final AdNode node;
        private Tensor dense;
        private Buffer buffer;
        private boolean includesLeafGrad;

        Sums(AdNode node) {
            this.node = node;
        }

        void add(Tensor ct) {
            dense = dense == null ? ct : dense.add(ct);
        }

        Buffer buffer() {
            if (buffer == null) {
                Tensor base = node.isLeaf() ? node.grad() : null;
                includesLeafGrad = base != null;
                DType acc = accumulation(node.dtype);
                base = base == null ? TensorValue.fullOn(node.device, acc, 0, node.shape) : base.to(acc);
                buffer = Indexing.copy(base);
            }
            return buffer;
        }

        /** The total in the accumulation type, the effect buffer included. */
        Tensor total() {
            if (buffer == null) {
                return dense;
            }
            Tensor b = TensorValue.fromBuffer(buffer, node.shape, node.device);
            return dense == null ? b : b.add(dense);
        }
    }

    private Sums sums(AdNode n) {
        return sums.computeIfAbsent(n, Sums::new);
    }

    /** Runs the sweep from {@code root} (which requires gradients). */
    static void run(Tensor root, AdNode start) {
        List<AdNode> order = reverseTopological(start);
        Backprop sweep = new Backprop();
        List<Tensor> touched = new ArrayList<>();
        try (var noGrad = GradMode.disable()) {
            sweep.sums(start).add(TensorValue.fullOn(root.device(), root.dtype(), 1, root.value.shape));
            for (AdNode n : order) {
                Sums s = sweep.sums.remove(n);
                if (s == null) {
                    continue;
                }
                Tensor sum = s.total();
                if (n.isLeaf()) {
                    Tensor next = withOld(n, sum, s.includesLeafGrad);
                    n.setGrad(next);
                    touched.add(next);
                    continue;
                }
                if (n.retains()) {
                    n.setGrad(withOld(n, sum, false));
                    touched.add(n.grad());
                }
                n.rule().backward(sum.to(n.dtype), sweep.new Sink(n)); // the one rounding of an F16 cotangent
            }
        }
        for (AdNode n : order) {
            n.release();
        }
        root.schedule();
        for (Tensor t : touched) {
            t.schedule();
        }
    }

    /** {@code sum} added to {@code n}'s current gradient (unless it already includes it), rounded once to n's dtype. */
    private static Tensor withOld(AdNode n, Tensor sum, boolean includesOld) {
        Tensor old = n.grad();
        Tensor total = old == null || includesOld ? sum : old.to(sum.dtype()).add(sum);
        return total.to(n.dtype);
    }

    /** The type gradients of {@code t} values are summed in: F32 for F16, else {@code t}. */
    static DType accumulation(DType t) {
        return t == DType.F16 ? DType.F32 : t;
    }

    /** Vertices reachable from {@code start}, each after every vertex that feeds a cotangent into it. */
    private static List<AdNode> reverseTopological(AdNode start) {
        List<AdNode> post = new ArrayList<>();
        Set<AdNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<AdNode> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(start);
        next.push(0);
        seen.add(start);
        while (!stack.isEmpty()) {
            AdNode n = stack.peek();
            int i = next.pop();
            if (n.isReleased()) {
                throw new IllegalStateException("backward(): the graph through " + n + " was released by an earlier "
                        + "backward(); recompute the value from its inputs before calling backward() again");
            }
            AdNode[] in = n.inputs();
            while (i < in.length && (in[i] == null || seen.contains(in[i]))) {
                i++;
            }
            if (i < in.length) {
                next.push(i + 1);
                seen.add(in[i]);
                stack.push(in[i]);
                next.push(0);
            } else {
                stack.pop();
                post.add(n);
            }
        }
        Collections.reverse(post);
        return post;
    }

    /** {@code ct} summed over the axes {@code node}'s value was broadcast along, in its accumulation type and on its device. */
    static Tensor fit(Tensor ct, AdNode node) {
        Tensor r = ct;
        long[] target = node.shape;
        while (r.value.shape.length > target.length) {
            r = r.sum(0);
        }
        int missing = target.length - r.value.shape.length; // leading axes the cotangent lacks (e.g. a [] sum)
        for (int axis = missing; axis < target.length; axis++) {
            int own = axis - missing;
            if (target[axis] == 1 && r.value.shape[own] != 1) {
                long[] keep = r.value.shape.clone();
                keep[own] = 1;
                r = r.sum(own).reshape(keep);
            }
        }
        if (!Arrays.equals(r.value.shape, target)) {
            r = r.add(TensorValue.fullOn(node.device, r.dtype(), 0, target)); // a broadcast of a smaller cotangent
        }
        if (r.device() != node.device) {
            r = r.to(node.device);
        }
        return r.to(accumulation(node.dtype));
    }
}
