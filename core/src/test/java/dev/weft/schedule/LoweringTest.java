package dev.weft.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a backend sees: F16 arithmetic widened, transcendentals lowered unless declared native. */
class LoweringTest {

    /** Every node reachable from {@code root}. */
    private static Set<Node> reachable(Node root) {
        Set<Node> seen = new HashSet<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (seen.add(n)) {
                for (int i = 0; i < n.arity(); i++) {
                    stack.push(n.arg(i));
                }
            }
        }
        return seen;
    }

    private static Set<Op> opsIn(Node root) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        reachable(root).forEach(n -> ops.add(n.op()));
        return ops;
    }

    private static Set<DType> arithmeticTypes(Node root) {
        Set<DType> types = EnumSet.noneOf(DType.class);
        for (Node n : reachable(root)) {
            if (n.op().kind() == Op.Kind.BINARY || n.op().kind() == Op.Kind.UNARY) {
                types.add(n.type());
            }
        }
        return types;
    }

    private final Node x = Tracer.cast(Tracer.lane(64), DType.F32);

    @Test
    void transcendentalsBecomeMandatoryOps() {
        Node lowered = new Lowering(EnumSet.noneOf(Op.class)).lower(Tracer.unary(Op.SIN, Tracer.unary(Op.EXP, x)));
        for (Op op : opsIn(lowered)) {
            assertFalse(op.lowerable(), "left in the kernel: " + op);
        }
    }

    @Test
    void aDeclaredNativeOpIsKept() {
        Node lowered = new Lowering(EnumSet.of(Op.EXP)).lower(Tracer.unary(Op.EXP, x));
        assertEquals(Op.EXP, lowered.op());
    }

    @Test
    void halfArithmeticComputesInSingleAndRoundsOnce() {
        Node h = Tracer.cast(x, DType.F16);
        Node sum = Tracer.binary(Op.ADD, h, h);
        Node lowered = new Lowering(EnumSet.noneOf(Op.class)).lower(sum);
        assertEquals(Op.CAST, lowered.op());
        assertEquals(DType.F16, lowered.type());
        assertEquals(Op.ADD, lowered.arg(0).op());
        assertEquals(DType.F32, lowered.arg(0).type());
        assertTrue(!arithmeticTypes(lowered).contains(DType.F16));
    }
}
