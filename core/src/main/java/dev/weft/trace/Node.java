package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import java.util.Arrays;
import java.util.Objects;

/**
 * One IR value: an op over a domain of {@code size} lanes, a scalar or a vector of {@code length}
 * components per lane, immutable and interned per thread by {@link Tracer} (so structurally equal
 * nodes are the same object, which is common-subexpression elimination). Operands have size 1 (a
 * value shared by every lane) or the node's size; element-wise operands have length 1 (the same
 * for every component) or the node's length ({@link Op}'s "Vectors").
 *
 * <p>{@code ref} ties a node to something outside the graph: the {@link BufferRef} a memory op
 * or side effect touches, or the {@link OpaqueScalar} a {@link Op#PARAM} reads. It takes part
 * in equality by identity. A {@code PARAM} without a ref is a launch value ({@link
 * Tracer#launchValue}): its bits are {@code imm}, and equal ones are one parameter.
 */
public final class Node {
    private final Op op;
    private final DType type;
    private final int size;
    private final int length;
    private final Node[] args;
    private final long imm;
    private final Object ref;
    private final MatrixAccess matrix;
    private final int hash;

    Node(Op op, DType type, int size, Node[] args, long imm, Object ref) {
        this(op, type, size, 1, args, imm, ref, null);
    }

    Node(Op op, DType type, int size, int length, Node[] args, long imm, Object ref, MatrixAccess matrix) {
        this.matrix = matrix;
        this.op = op;
        this.type = type;
        this.size = size;
        this.length = length;
        this.args = args;
        this.imm = imm;
        this.ref = ref;
        int h = op.hashCode() * 31 + type.hashCode();
        h = h * 31 + size;
        h = h * 31 + length;
        h = h * 31 + Long.hashCode(imm);
        h = h * 31 + System.identityHashCode(ref);
        h = h * 31 + Objects.hashCode(matrix);
        for (Node a : args) {
            h = h * 31 + System.identityHashCode(a);
        }
        this.hash = h;
    }

    public Op op() {
        return op;
    }

    public DType type() {
        return type;
    }

    /** Number of lanes; 1 means one value shared by every lane of any domain. */
    public int size() {
        return size;
    }

    /** Components per lane: 1 for a scalar, L for a vector. */
    public int length() {
        return length;
    }

    public int arity() {
        return args.length;
    }

    public Node arg(int i) {
        return args[i];
    }

    /** Literal bits (for {@link Op#LITERAL}), a launch value's bits, a component index; 0 otherwise. */
    public long imm() {
        return imm;
    }

    /** The buffer or opaque scalar this node refers to, or null. */
    public Object ref() {
        return ref;
    }

    /** The matrix a {@link Op#MATVEC} or {@link Op#OUTER_ADD} reads or writes, or null. */
    public MatrixAccess matrix() {
        return matrix;
    }

    public boolean isLiteral() {
        return op == Op.LITERAL;
    }

    /** The literal value as a double (only for literals). */
    public double literalValue() {
        return ScalarOps.toDouble(type, imm);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Node n) || n.hash != hash) {
            return false;
        }
        if (op != n.op || type != n.type || size != n.size || length != n.length || imm != n.imm || ref != n.ref
                || args.length != n.args.length || !Objects.equals(matrix, n.matrix)) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] != n.args[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return op + "." + type + (length > 1 ? "x" + length : "") + "[" + size + "]" + (args.length > 0 ? Arrays.toString(args) : "")
                + (op == Op.LITERAL ? "=" + literalValue() : "");
    }
}
