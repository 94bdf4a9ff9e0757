package dev.weft.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import org.junit.jupiter.api.Test;

/** CSE, constant folding and re-indexing while tracing. */
class TracerTest {

    @Test
    void equalExpressionsAreOneNode() {
        Node lane = Tracer.lane(100);
        Node a = Tracer.binary(Op.MUL, Tracer.cast(lane, DType.F32), Tracer.literal(DType.F32, 3));
        Node b = Tracer.binary(Op.MUL, Tracer.cast(lane, DType.F32), Tracer.literal(DType.F32, 3));
        assertSame(a, b);
    }

    @Test
    void literalOperandsFoldWithTheInterpretersArithmetic() {
        Node r = Tracer.binary(Op.DIV, Tracer.literal(DType.F32, 1), Tracer.literal(DType.F32, 3));
        assertTrue(r.isLiteral());
        assertEquals(1f / 3f, (float) r.literalValue());
        Node i = Tracer.binary(Op.DIV, Tracer.literal(DType.I32, 7), Tracer.literal(DType.I32, 0));
        assertEquals(0, i.literalValue(), "integer division by zero gives 0 when folded too");
    }

    @Test
    void opaqueParametersAreNeverMergedOrFolded() {
        Node p = Tracer.param(new OpaqueScalar(DType.F32, ScalarOps.ofFloat(2f)));
        Node q = Tracer.param(new OpaqueScalar(DType.F32, ScalarOps.ofFloat(2f)));
        assertNotSame(p, q);
        Node sum = Tracer.binary(Op.ADD, p, Tracer.literal(DType.F32, 1));
        assertEquals(Op.ADD, sum.op());
    }

    @Test
    void multiplicationByOneIsTheOperand() {
        Node x = Tracer.cast(Tracer.lane(10), DType.F32);
        assertSame(x, Tracer.binary(Op.MUL, x, Tracer.literal(DType.F32, 1)));
        Node plusZero = Tracer.binary(Op.ADD, x, Tracer.literal(DType.F32, 0));
        assertEquals(Op.ADD, plusZero.op(), "x + 0 is not x for x = -0");
    }

    @Test
    void reindexReplacesTheLaneIndex() {
        Node lane = Tracer.lane(8);
        Node x = Tracer.binary(Op.ADD, lane, Tracer.literal(DType.I32, 5));
        Node other = Tracer.lane(3);
        Node moved = Tracer.reindex(x, Tracer.binary(Op.MUL, other, Tracer.literal(DType.I32, 2)));
        assertEquals(3, moved.size());
        assertSame(Tracer.binary(Op.ADD, Tracer.binary(Op.MUL, other, Tracer.literal(DType.I32, 2)),
                Tracer.literal(DType.I32, 5)), moved);
    }

    @Test
    void sideEffectsAreNeverMerged() {
        BufferRef buf = new BufferRef() {
            @Override
            public DType dtype() {
                return DType.F32;
            }

            @Override
            public long length() {
                return 1;
            }
        };
        Node v = Tracer.literal(DType.F32, 1);
        Node i = Tracer.literal(DType.I32, 0);
        Node yes = Tracer.literal(DType.BOOL, 1);
        Node n = Tracer.literal(DType.I32, 1);
        assertNotSame(Tracer.scatter(Op.SCATTER_ADD, buf, i, v, yes, n, 4),
                Tracer.scatter(Op.SCATTER_ADD, buf, i, v, yes, n, 4));
    }

    @Test
    void elementWiseOpsOnVectorsKeepTheLengthAndBroadcastScalars() {
        Node lane = Tracer.cast(Tracer.lane(10), DType.F32);
        Node v = Tracer.pack(lane, Tracer.unary(Op.NEG, lane), Tracer.literal(DType.F32, 2));
        assertEquals(3, v.length());
        Node scaled = Tracer.binary(Op.MUL, v, Tracer.literal(DType.F32, 0.5));
        assertEquals(3, scaled.length());
        assertEquals(DType.BOOL, Tracer.binary(Op.GT, scaled, lane).type());
        assertEquals(3, Tracer.select(Tracer.binary(Op.GT, scaled, lane), v, Tracer.literal(DType.F32, 0)).length());
        assertEquals(3, Tracer.cast(v, DType.F64).length());
        // operands of two lengths other than 1 are an internal error
        Node w = Tracer.pack(lane, Tracer.unary(Op.ABS, lane));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Tracer.binary(Op.ADD, v, w));
    }

    @Test
    void packAndExtractUndoEachOther() {
        Node lane = Tracer.cast(Tracer.lane(10), DType.F32);
        Node a = Tracer.unary(Op.NEG, lane);
        Node v = Tracer.pack(lane, a);
        assertSame(a, Tracer.extract(v, 1), "a component of a pack is its operand");
        Node y = Tracer.binary(Op.MUL, v, v);
        assertSame(y, Tracer.pack(Tracer.extract(y, 0), Tracer.extract(y, 1)), "a pack of a vector's components");
        assertSame(lane, Tracer.pack(lane, lane, lane), "copies of one scalar stand for every component");
        assertSame(lane, Tracer.extract(lane, 0), "a scalar is its own component 0");
        assertEquals(Op.PACK, Tracer.pack(Tracer.extract(y, 1), Tracer.extract(y, 0)).op(), "not in order");
    }

    @Test
    void launchValuesOfEqualBitsAreOneNode() {
        assertSame(Tracer.launchValue(DType.I32, 4096), Tracer.launchValue(DType.I32, 4096));
        assertNotSame(Tracer.launchValue(DType.I32, 4096), Tracer.launchValue(DType.I32, 4097));
        assertEquals(Op.PARAM, Tracer.launchValue(DType.I32, 4096).op());
    }

    @Test
    void aNewTraceForgetsNodesButEqualNodesStayEqual() {
        Node before = Tracer.binary(Op.ADD, Tracer.lane(7), Tracer.literal(DType.I32, 1));
        Tracer.newTrace();
        assertEquals(0, Tracer.internedCount());
        Node after = Tracer.binary(Op.ADD, Tracer.lane(7), Tracer.literal(DType.I32, 1));
        assertNotSame(before, after);
        assertEquals(before.op(), after.op());
        assertTrue(after.arg(0).equals(before.arg(0)), "leaves compare by structure");
    }
}
