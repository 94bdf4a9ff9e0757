package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.function.Function;

/**
 * The element-wise operations of the Tensor API as data: arity, the operand dtypes each applies
 * to, the result dtype, and how to apply it on the device. {@link HostArithmetic} gives each its
 * meaning on the host. Element-wise cases and random programs both draw from this table.
 */
public enum ElementOp {
    ADD(2, "add", a -> a[0].add(a[1])),
    SUB(2, "sub", a -> a[0].sub(a[1])),
    MUL(2, "mul", a -> a[0].mul(a[1])),
    DIV(2, "div", a -> a[0].div(a[1])),
    REM(2, "rem", a -> a[0].rem(a[1])),
    MIN(2, "min", a -> a[0].min(a[1])),
    MAX(2, "max", a -> a[0].max(a[1])),
    AND(2, "and", a -> a[0].and(a[1])),
    OR(2, "or", a -> a[0].or(a[1])),
    XOR(2, "xor", a -> a[0].xor(a[1])),
    SHL(2, "shiftLeft", a -> a[0].shiftLeft(a[1])),
    SHR(2, "shiftRight", a -> a[0].shiftRight(a[1])),
    EQ(2, "eq", a -> a[0].eq(a[1])),
    NE(2, "ne", a -> a[0].ne(a[1])),
    LT(2, "lt", a -> a[0].lt(a[1])),
    LE(2, "le", a -> a[0].le(a[1])),
    GT(2, "gt", a -> a[0].gt(a[1])),
    GE(2, "ge", a -> a[0].ge(a[1])),
    NEG(1, "neg", a -> a[0].neg()),
    ABS(1, "abs", a -> a[0].abs()),
    SQRT(1, "sqrt", a -> a[0].sqrt()),
    FLOOR(1, "floor", a -> a[0].floor()),
    CEIL(1, "ceil", a -> a[0].ceil()),
    ROUND(1, "round", a -> a[0].round()),
    TRUNC(1, "trunc", a -> a[0].trunc()),
    NOT(1, "not", a -> a[0].not()),
    /** {@code a * b + c} with one rounding. */
    FMA(3, "fma", a -> a[0].fma(a[1], a[2])),
    /** {@code where(mask, a, b)}: operand 0 is the BOOL mask, the dtype is that of a and b. */
    WHERE(3, "where", a -> Tensor.where(a[0], a[1], a[2]));

    private final int arity;
    private final String method;
    private final Function<Tensor[], Tensor> device;

    ElementOp(int arity, String method, Function<Tensor[], Tensor> device) {
        this.arity = arity;
        this.method = method;
        this.device = device;
    }

    public int arity() {
        return arity;
    }

    /** The Tensor method's name. */
    public String method() {
        return method;
    }

    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    /** Whether the op is defined for operands of {@code t} (for WHERE: the dtype of its two values). */
    public boolean appliesTo(DType t) {
        boolean bool = t == DType.BOOL;
        return switch (this) {
            case ADD, SUB, MUL, DIV, REM, NEG, ABS, FLOOR, CEIL, ROUND, TRUNC, FMA -> !bool;
            case MIN, MAX, WHERE, EQ, NE, LT, LE, GT, GE -> true;
            case AND, OR, XOR, NOT -> !t.isFloat();
            case SHL, SHR -> t.isInteger();
            case SQRT -> t.isFloat();
        };
    }

    /** The dtype of the result for operands of {@code t}. */
    public DType resultType(DType t) {
        return isComparison() ? DType.BOOL : t;
    }

    /** Applies the op on the device to tensors already of the right dtypes. */
    public Tensor apply(Tensor... operands) {
        if (operands.length != arity) {
            throw new IllegalArgumentException(this + " takes " + arity + " operands, got " + operands.length);
        }
        return device.apply(operands);
    }
}
