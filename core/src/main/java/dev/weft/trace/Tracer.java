package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Builds IR nodes: checks operand types and sizes, folds constants with {@link ScalarOps} (the
 * interpreter's own code), applies a few exact identities, and interns each node so that equal
 * expressions are one node (common-subexpression elimination while tracing). The intern table
 * is per thread (no lock is taken) and holds the nodes of one trace: the scheduler starts a new
 * table after each evaluation ({@link #newTrace}), and a table that grows past {@link
 * #TRACE_LIMIT} nodes starts over too. Nodes made before stay valid; equal nodes of two traces
 * are then two objects, which the kernel builder merges again (it numbers values by structure),
 * so kernels never depend on where a trace was cut. Holding nodes strongly for one trace costs
 * the garbage collector nothing; weak references cost it two references per node.
 *
 * <p>Callers are the tensor layer (which has already promoted types and checked shapes, so a
 * violation here is an internal error: {@link AssertionError}) and the core's lowering passes.
 */
public final class Tracer {
    /** Nodes of one trace after which the intern table starts over (a trace that never evaluates). */
    static final int TRACE_LIMIT = 1 << 18;

    private static final ThreadLocal<Map<Node, Node>> INTERNED = ThreadLocal.withInitial(HashMap::new);

    private Tracer() {}

    private static Node intern(Node n) {
        Map<Node, Node> table = INTERNED.get();
        Node e = table.putIfAbsent(n, n);
        if (e != null) {
            return e;
        }
        if (table.size() > TRACE_LIMIT) {
            INTERNED.set(new HashMap<>());
        }
        return n;
    }

    private static final Node[] NO_ARGS = new Node[0];

    // ---- leaves ------------------------------------------------------------------------------

    public static Node literal(DType type, double value) {
        return literalBits(type, ScalarOps.fromDouble(type, value));
    }

    public static Node literalBits(DType type, long bits) {
        return intern(new Node(Op.LITERAL, type, 1, NO_ARGS, ScalarOps.normalize(type, bits), null));
    }

    /** An opaque scalar parameter (one value for every lane, passed at launch), its own parameter. */
    public static Node param(OpaqueScalar value) {
        return intern(new Node(Op.PARAM, value.type(), 1, NO_ARGS, 0, value));
    }

    /**
     * A value passed at launch and merged with every equal one: the buffer offsets and bounds
     * that change with the sizes of tensors, which should not change the kernel (the rule is
     * {@link dev.weft.spi.Kernel}'s "Parameters and identity"). Equal values are one node.
     */
    public static Node launchValue(DType type, long value) {
        return intern(new Node(Op.PARAM, type, 1, NO_ARGS, ScalarOps.normalize(type, value), null));
    }

    /** The lane index 0..n-1, as I32. */
    public static Node lane(int n) {
        check(n >= 0, "lane(): negative size %s", n);
        if (n == 1) {
            return literalBits(DType.I32, 0); // the only lane of a one-lane value, in any domain
        }
        return intern(new Node(Op.LANE, DType.I32, n, NO_ARGS, 0, null));
    }

    /** {@code buffer[index]} with the index known to be in range. */
    public static Node load(BufferRef buffer, Node index) {
        return load(buffer, index, 1);
    }

    /**
     * The vector {@code buffer[index + c]}, {@code c < length} (a scalar for length 1), with the
     * indices known to be in range.
     */
    public static Node load(BufferRef buffer, Node index, int length) {
        check(index.type() == DType.I32 && index.length() == 1 && length >= 1,
                "load(): index of %s x %s, length %s", index.type(), index.length(), length);
        return intern(new Node(Op.LOAD, buffer.dtype(), index.size(), length, new Node[] {index}, 0, buffer, null));
    }

    /** {@code mask && 0 <= index < bound ? buffer[index] : 0}. */
    public static Node gather(BufferRef buffer, Node index, Node bound, Node mask) {
        check(index.type() == DType.I32 && bound.type() == DType.I32 && mask.type() == DType.BOOL,
                "gather(): operand types %s, %s, %s", index.type(), bound.type(), mask.type());
        checkScalars("gather()", index, bound, mask);
        if (mask.isLiteral() && mask.imm() == 0) {
            return literalBits(buffer.dtype(), 0);
        }
        int size = sizeOf(index, bound, mask);
        return intern(new Node(Op.GATHER, buffer.dtype(), size, new Node[] {index, bound, mask}, 0, buffer));
    }

    /**
     * A side effect: {@code op} (one of the SCATTER ops) of {@code value} into {@code buffer} at
     * {@code index}, where {@code mask} holds and {@code 0 <= index < bound}. The caller keeps
     * the node as a pending effect. {@code size} is the domain: operands of size 1 are repeated
     * over it (a sum of N equal values is N additions, not one).
     */
    public static Node scatter(Op op, BufferRef buffer, Node index, Node value, Node mask, Node bound, int size) {
        check(op.isSideEffect(), "scatter(): %s is not a scatter op", op);
        check(index.type() == DType.I32 && bound.type() == DType.I32 && mask.type() == DType.BOOL,
                "scatter(): operand types %s, %s, %s", index.type(), bound.type(), mask.type());
        checkScalars("scatter()", index, value, mask, bound);
        int operands = sizeOf(index, value, mask, bound);
        check(operands == 1 || operands == size, "scatter(): operands of size %s in a domain of %s", operands, size);
        // side effects are never merged: two identical scatter-adds must both happen
        return new Node(op, value.type(), size, new Node[] {index, value, mask, bound}, 0, buffer);
    }

    // ---- vectors -----------------------------------------------------------------------------

    /**
     * A per-lane matrix-vector product ({@link Op#MATVEC}) reading the matrix from {@code
     * buffer}: {@code x} has {@code m.inputLength()} components, {@code bias} has {@code
     * m.outputLength()} or is one value for all (a literal 0 for none), both of type {@code type}
     * (F32 or F64).
     */
    public static Node matvec(BufferRef buffer, MatrixAccess m, Node x, Node bias, DType type) {
        check(type == DType.F32 || type == DType.F64, "matvec(): accumulation type %s", type);
        check(fits(x, m.inputLength()) && fits(bias, m.outputLength()),
                "matvec(): input of length %s and bias of length %s for %s", x.length(), bias.length(), m);
        check(x.type() == type && bias.type() == type, "matvec(): operands of %s and %s, expected %s", x.type(),
                bias.type(), type);
        return intern(new Node(Op.MATVEC, type, sizeOf(x, bias), m.outputLength(), new Node[] {x, bias}, 0, buffer, m));
    }

    /** Component {@code i} of a vector (a scalar is its own component 0). */
    public static Node extract(Node vector, int i) {
        check(i >= 0 && i < vector.length(), "extract(): component %s of a vector of %s", i, vector.length());
        if (vector.length() == 1) {
            return vector;
        }
        if (vector.op() == Op.PACK) {
            return vector.arg(i);
        }
        return intern(new Node(Op.EXTRACT, vector.type(), vector.size(), 1, new Node[] {vector}, i, null, null));
    }

    /**
     * The vector of the given scalars ({@link Op#PACK}): the scalar itself for one, or for
     * copies of one scalar (it stands for every component), the vector they were extracted from
     * when they are its components in order.
     */
    public static Node pack(Node... scalars) {
        check(scalars.length > 0, "pack(): no components");
        checkScalars("pack()", scalars);
        Node first = scalars[0];
        boolean same = true;
        boolean extracts = first.op() == Op.EXTRACT && first.imm() == 0
                && first.arg(0).length() == scalars.length;
        for (int i = 0; i < scalars.length; i++) {
            Node s = scalars[i];
            check(s.type() == first.type(), "pack(): components of %s and %s", first.type(), s.type());
            same &= s == first;
            extracts &= s.op() == Op.EXTRACT && s.imm() == i && s.arg(0) == first.arg(0);
        }
        if (same) {
            return first;
        }
        if (extracts) {
            return first.arg(0);
        }
        return intern(new Node(Op.PACK, first.type(), sizeOf(scalars), scalars.length, scalars.clone(), 0, null, null));
    }

    /**
     * A side effect: {@code buffer[offset + i * stride + j] += sum over lanes of u_i * v_j}
     * ({@link Op#OUTER_ADD}; {@code m} must not be transposed; {@code u} has {@code m.rows()}
     * components or is one value for all, {@code v} likewise for {@code m.cols()}). {@code size}
     * is the domain.
     */
    public static Node outerAdd(BufferRef buffer, MatrixAccess m, Node u, Node v, int size) {
        check(!m.transpose() && fits(u, m.rows()) && fits(v, m.cols()),
                "outerAdd(): vectors of %s and %s for %s", u.length(), v.length(), m);
        DType type = u.type();
        check(v.type() == type && (type == DType.F32 || type == DType.F64), "outerAdd(): operands of %s and %s",
                u.type(), v.type());
        int operands = sizeOf(u, v);
        check(operands == 1 || operands == size, "outerAdd(): operands of size %s in a domain of %s", operands, size);
        return new Node(Op.OUTER_ADD, type, size, 1, new Node[] {u, v}, 0, buffer, m);
    }

    /** Whether {@code n} can stand for a vector of {@code length}: it has that length, or is one value for all. */
    private static boolean fits(Node n, int length) {
        return n.length() == length || n.length() == 1;
    }

    // ---- arithmetic --------------------------------------------------------------------------

    public static Node unary(Op op, Node a) {
        check(op.arity() == 1 && (op.kind() == Op.Kind.UNARY || op.kind() == Op.Kind.TRANSCENDENTAL),
                "unary(): %s is not a unary op", op);
        if (a.isLiteral()) {
            return literalBits(a.type(), ScalarOps.unary(op, a.type(), a.imm()));
        }
        if (op == Op.NEG && a.op() == Op.NEG) {
            return a.arg(0);
        }
        if ((op == Op.FLOOR || op == Op.CEIL || op == Op.ROUND || op == Op.TRUNC) && !a.type().isFloat()) {
            return a;
        }
        return intern(new Node(op, a.type(), a.size(), a.length(), new Node[] {a}, 0, null, null));
    }

    public static Node binary(Op op, Node a, Node b) {
        check(op.kind() == Op.Kind.BINARY || op.kind() == Op.Kind.COMPARE, "binary(): %s is not binary", op);
        boolean shift = op == Op.SHL || op == Op.SHR;
        check(a.type() == b.type() || (shift && b.type().isInteger()),
                "binary(): %s of %s and %s", op, a.type(), b.type());
        if (shift && b.type() != a.type()) {
            b = cast(b, a.type());
        }
        DType result = op.kind() == Op.Kind.COMPARE ? DType.BOOL : a.type();
        int size = sizeOf(a, b);
        int length = lengthOf(a, b);
        if (a.isLiteral() && b.isLiteral()) {
            return literalBits(result, ScalarOps.binary(op, a.type(), a.imm(), b.imm()));
        }
        Node simplified = identity(op, a, b);
        if (simplified != null) {
            return simplified;
        }
        return intern(new Node(op, result, size, length, new Node[] {a, b}, 0, null, null));
    }

    /** Exact identities only: {@code x*1}, {@code x+(-0)}, {@code x-0}, integer {@code x+0}. */
    private static Node identity(Op op, Node a, Node b) {
        DType t = a.type();
        if (t == DType.BOOL || a.size() != Math.max(a.size(), b.size())
                || a.length() != Math.max(a.length(), b.length())) {
            return null;
        }
        if (b.isLiteral()) {
            long zero = ScalarOps.fromDouble(t, 0.0);
            long negZero = ScalarOps.fromDouble(t, -0.0);
            long one = ScalarOps.fromDouble(t, 1.0);
            if (op == Op.MUL && b.imm() == one) {
                return a;
            }
            if (op == Op.ADD && (b.imm() == negZero || (!t.isFloat() && b.imm() == zero))) {
                return a;
            }
            if (op == Op.SUB && b.imm() == zero) {
                return a;
            }
        }
        if (a.isLiteral() && (op == Op.MUL || op == Op.ADD)) {
            Node r = identity(op, b, a);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    public static Node fma(Node a, Node b, Node c) {
        check(a.type() == b.type() && b.type() == c.type() && a.type() != DType.BOOL,
                "fma(): types %s, %s, %s", a.type(), b.type(), c.type());
        int size = sizeOf(a, b, c);
        if (a.isLiteral() && b.isLiteral() && c.isLiteral()) {
            return literalBits(a.type(), ScalarOps.fma(a.type(), a.imm(), b.imm(), c.imm()));
        }
        return intern(new Node(Op.FMA, a.type(), size, lengthOf(a, b, c), new Node[] {a, b, c}, 0, null, null));
    }

    public static Node select(Node mask, Node a, Node b) {
        check(mask.type() == DType.BOOL && a.type() == b.type(),
                "select(): types %s, %s, %s", mask.type(), a.type(), b.type());
        int size = sizeOf(mask, a, b);
        int length = lengthOf(mask, a, b);
        if (mask.isLiteral() && a.size() == size && b.size() == size && a.length() == length && b.length() == length) {
            return mask.imm() != 0 ? a : b;
        }
        if (a == b && a.size() == size && a.length() == length) {
            return a;
        }
        return intern(new Node(Op.SELECT, a.type(), size, length, new Node[] {mask, a, b}, 0, null, null));
    }

    public static Node cast(Node a, DType to) {
        if (a.type() == to) {
            return a;
        }
        if (a.isLiteral()) {
            return literalBits(to, ScalarOps.cast(a.type(), to, a.imm()));
        }
        return intern(new Node(Op.CAST, to, a.size(), a.length(), new Node[] {a}, 0, null, null));
    }

    public static Node bitcast(Node a, DType to) {
        check(a.type().bytes() == to.bytes(), "bitcast(): %s to %s changes the width", a.type(), to);
        if (a.type() == to) {
            return a;
        }
        if (a.isLiteral()) {
            return literalBits(to, ScalarOps.bitcast(a.type(), to, a.imm()));
        }
        return intern(new Node(Op.BITCAST, to, a.size(), a.length(), new Node[] {a}, 0, null, null));
    }

    /** Rebuilds a node of any op from new operands (same op, type and payload). */
    public static Node rebuild(Node n, Node[] args) {
        return switch (n.op()) {
            case LITERAL, PARAM, LANE -> n;
            case LOAD -> load((BufferRef) n.ref(), args[0], n.length());
            case GATHER -> gather((BufferRef) n.ref(), args[0], args[1], args[2]);
            case CAST -> cast(args[0], n.type());
            case BITCAST -> bitcast(args[0], n.type());
            case FMA -> fma(args[0], args[1], args[2]);
            case SELECT -> select(args[0], args[1], args[2]);
            case SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX ->
                    scatter(n.op(), (BufferRef) n.ref(), args[0], args[1], args[2], args[3], n.size());
            case MATVEC -> matvec((BufferRef) n.ref(), n.matrix(), args[0], args[1], n.type());
            case EXTRACT -> extract(args[0], (int) n.imm());
            case PACK -> pack(args);
            case OUTER_ADD -> outerAdd((BufferRef) n.ref(), n.matrix(), args[0], args[1], n.size());
            default -> n.op().arity() == 1 ? unary(n.op(), args[0]) : binary(n.op(), args[0], args[1]);
        };
    }

    /**
     * The same computation evaluated at other lanes: every {@link Op#LANE} is replaced by
     * {@code newLane} (an I32 expression over the new domain), contiguous loads become loads at
     * the new index. This is how slices, broadcasts and meshgrids reuse a lazy expression
     * without materializing it.
     */
    public static Node reindex(Node node, Node newLane) {
        return reindex(node, newLane, new IdentityHashMap<>());
    }

    private static Node reindex(Node n, Node newLane, Map<Node, Node> done) {
        if (n.size() == 1) {
            return n; // the same value in every lane
        }
        Node r = done.get(n);
        if (r != null) {
            return r;
        }
        if (n.op() == Op.LANE) {
            r = newLane;
        } else {
            Node[] args = new Node[n.arity()];
            for (int i = 0; i < args.length; i++) {
                args[i] = reindex(n.arg(i), newLane, done);
            }
            r = rebuild(n, args);
        }
        done.put(n, r);
        return r;
    }

    /** The common size of operands that are each of size 1 or of one size n. */
    static int sizeOf(Node... nodes) {
        int size = 1;
        for (Node n : nodes) {
            if (n.size() != 1) {
                check(size == 1 || size == n.size(), "operand sizes %s and %s differ", size, n.size());
                size = n.size();
            }
        }
        return size;
    }

    /** The common length of element-wise operands that are each of length 1 or of one length L. */
    static int lengthOf(Node... nodes) {
        int length = 1;
        for (Node n : nodes) {
            if (n.length() != 1) {
                check(length == 1 || length == n.length(), "operand lengths %s and %s differ", length, n.length());
                length = n.length();
            }
        }
        return length;
    }

    private static void checkScalars(String op, Node... nodes) {
        for (Node n : nodes) {
            check(n.length() == 1, "%s: an operand is a vector of %s", op, n.length());
        }
    }

    private static void check(boolean ok, String fmt, Object... args) {
        if (!ok) {
            throw new AssertionError("IR: " + String.format(fmt, args));
        }
    }

    /** Intern-table size of the current thread, for tests of memory behaviour. */
    public static int internedCount() {
        return INTERNED.get().size();
    }

    /**
     * Starts a new trace on the current thread: forgets the interned nodes (they stay valid;
     * only sharing with nodes made from now on is lost), so they and the buffers they name can
     * be collected.
     */
    public static void newTrace() {
        Map<Node, Node> table = INTERNED.get();
        if (!table.isEmpty()) {
            INTERNED.set(new HashMap<>());
        }
    }
}
