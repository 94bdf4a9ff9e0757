package dev.weft;

import java.util.Arrays;

/**
 * A vertex of the autodiff graph: one per tensor that requires gradients. A leaf (made by
 * {@code requiresGrad(true)}) accumulates its gradient; any other node knows its inputs and the
 * {@link Rule} that turns its output cotangent into contributions to theirs. {@link Backprop}
 * walks these vertices in reverse; afterwards the non-leaf ones are released.
 *
 * <p>A {@link CoopVec} operation is one vertex like any other: its tensor holds the whole vector
 * (in vector form), and so does its cotangent.
 */
final class AdNode {
    /** How a node's cotangents become contributions to its inputs' cotangents. */
    interface Rule {
        /**
         * @param g the cotangent of the output, in its shape and dtype
         * @param out where to add the inputs' contributions (indices follow the node's inputs)
         */
        void backward(Tensor g, Backprop.Sink out);
    }

    final long[] shape;
    final DType dtype;
    final Device device;
    private AdNode[] inputs;
    private Rule rule;
    private final boolean leaf;
    private final String op;
    private boolean retain;
    private boolean released;
    /** The accumulated gradient of a leaf, or the retained gradient of a non-leaf; pinned. */
    private Tensor grad;

    private AdNode(long[] shape, DType dtype, Device device, AdNode[] inputs, Rule rule, String op) {
        this.shape = shape;
        this.dtype = dtype;
        this.device = device;
        this.inputs = inputs;
        this.rule = rule;
        this.leaf = rule == null;
        this.op = op;
    }

    static AdNode leaf(Tensor t) {
        return new AdNode(t.value.shape, t.dtype(), t.device(), new AdNode[0], null, "leaf");
    }

    static AdNode of(String op, Tensor result, AdNode[] inputs, Rule rule) {
        return new AdNode(result.value.shape, result.dtype(), result.device(), inputs, rule, op);
    }

    boolean isLeaf() {
        return leaf;
    }

    String op() {
        return op;
    }

    AdNode[] inputs() {
        return inputs;
    }

    Rule rule() {
        return rule;
    }

    boolean isReleased() {
        return released;
    }

    /** Forgets the inputs and rule after a backward pass, so the traced graph behind can be collected. */
    void release() {
        if (!leaf) {
            released = true;
            inputs = new AdNode[0];
            rule = null;
        }
    }

    boolean retains() {
        return retain;
    }

    void retain() {
        retain = true;
    }

    Tensor grad() {
        return grad;
    }

    void setGrad(Tensor g) {
        if (g != null) {
            g.value.pin(); // a gradient lives as long as its tensor, whatever scope computed it
        }
        if (grad != null) {
            grad.value.unpin();
        }
        grad = g;
    }

    @Override
    public String toString() {
        return "AdNode[" + op + " " + dtype + " " + Arrays.toString(shape) + (released ? ", released" : "") + "]";
    }
}
