package dev.weft.ir;

import dev.weft.DType;
import dev.weft.trace.MathBuilder;

/** {@link MathBuilder} over host scalars, evaluating each step with {@link ScalarOps}. */
final class ScalarMath implements MathBuilder<ScalarMath.Value> {
    static final ScalarMath INSTANCE = new ScalarMath();

    /** A host scalar: its type and its canonical bits. */
    record Value(DType type, long bits) {}

    private ScalarMath() {}

    @Override
    public DType type(Value v) {
        return v.type();
    }

    @Override
    public Value literal(DType type, double value) {
        return new Value(type, ScalarOps.fromDouble(type, value));
    }

    @Override
    public Value literalBits(DType type, long bits) {
        return new Value(type, ScalarOps.normalize(type, bits));
    }

    @Override
    public Value unary(Op op, Value a) {
        return new Value(a.type(), ScalarOps.unary(op, a.type(), a.bits()));
    }

    @Override
    public Value binary(Op op, Value a, Value b) {
        DType result = op.kind() == Op.Kind.COMPARE ? DType.BOOL : a.type();
        return new Value(result, ScalarOps.binary(op, a.type(), a.bits(), b.bits()));
    }

    @Override
    public Value ternary(Op op, Value a, Value b, Value c) {
        return switch (op) {
            case FMA -> new Value(a.type(), ScalarOps.fma(a.type(), a.bits(), b.bits(), c.bits()));
            case SELECT -> new Value(b.type(), ScalarOps.select(a.bits(), b.bits(), c.bits()));
            default -> throw new AssertionError("not a ternary op: " + op);
        };
    }

    @Override
    public Value cast(Value a, DType to) {
        return new Value(to, ScalarOps.cast(a.type(), to, a.bits()));
    }

    @Override
    public Value bitcast(Value a, DType to) {
        return new Value(to, ScalarOps.bitcast(a.type(), to, a.bits()));
    }
}
