package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.Op;

/** {@link MathBuilder} over IR nodes: what the lowering of transcendentals emits. */
public final class NodeMath implements MathBuilder<Node> {
    public static final NodeMath INSTANCE = new NodeMath();

    private NodeMath() {}

    @Override
    public DType type(Node v) {
        return v.type();
    }

    @Override
    public Node literal(DType type, double value) {
        return Tracer.literal(type, value);
    }

    @Override
    public Node literalBits(DType type, long bits) {
        return Tracer.literalBits(type, bits);
    }

    @Override
    public Node unary(Op op, Node a) {
        return Tracer.unary(op, a);
    }

    @Override
    public Node binary(Op op, Node a, Node b) {
        return Tracer.binary(op, a, b);
    }

    @Override
    public Node ternary(Op op, Node a, Node b, Node c) {
        return op == Op.FMA ? Tracer.fma(a, b, c) : Tracer.select(a, b, c);
    }

    @Override
    public Node cast(Node a, DType to) {
        return Tracer.cast(a, to);
    }

    @Override
    public Node bitcast(Node a, DType to) {
        return Tracer.bitcast(a, to);
    }
}
