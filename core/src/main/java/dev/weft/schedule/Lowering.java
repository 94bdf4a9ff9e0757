package dev.weft.schedule;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.trace.MathLowering;
import dev.weft.trace.Node;
import dev.weft.trace.NodeMath;
import dev.weft.trace.Tracer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a traced graph into what a backend executes: F16 arithmetic becomes F32 arithmetic
 * (F64 for fma) rounded once per op, which gives the correctly rounded half result (DESIGN.md
 * "Numbers"), and transcendentals the backend does not declare
 * become polynomials of mandatory ops ({@link MathLowering}). F16 stays only in loads, stores,
 * gathers, scatters and casts.
 */
final class Lowering {
    private final Set<Op> native_;
    private final Map<Node, Node> done = new IdentityHashMap<>();

    Lowering(Set<Op> nativeOps) {
        this.native_ = nativeOps;
    }

    Node lower(Node n) {
        Node r = done.get(n);
        if (r != null) {
            return r;
        }
        Node[] args = new Node[n.arity()];
        boolean changed = false;
        for (int i = 0; i < args.length; i++) {
            args[i] = lower(n.arg(i));
            changed |= args[i] != n.arg(i);
        }
        r = changed ? Tracer.rebuild(n, args) : n;
        r = rewrite(r);
        done.put(n, r);
        return r;
    }

    private Node rewrite(Node n) {
        Op op = n.op();
        boolean arithmetic = switch (op.kind()) {
            case UNARY, TRANSCENDENTAL, BINARY, COMPARE, TERNARY -> true;
            default -> false;
        };
        if (!arithmetic) {
            return n;
        }
        DType operandType = op == Op.SELECT ? n.arg(1).type() : n.arg(0).type();
        if (operandType == DType.F16 && op != Op.SELECT && op != Op.NOT) {
            // F32 holds every result of + - * / sqrt of halves closely enough that rounding it
            // again to half is exact; fma needs F64 for that (see ScalarOps.fma)
            DType wideType = op == Op.FMA ? DType.F64 : DType.F32;
            Node[] wide = new Node[n.arity()];
            for (int i = 0; i < wide.length; i++) {
                Node a = n.arg(i);
                wide[i] = a.type() == DType.F16 ? Tracer.cast(a, wideType) : a;
            }
            Node f32 = rewrite(Tracer.rebuild(n, wide));
            return op.kind() == Op.Kind.COMPARE ? f32 : Tracer.cast(f32, DType.F16);
        }
        if (op.lowerable() && !native_.contains(op)) {
            // the polynomial is built of mandatory F32/F64 ops only: nothing in it to lower again
            return MathLowering.lower(NodeMath.INSTANCE, op, n.arg(0));
        }
        return n;
    }
}
