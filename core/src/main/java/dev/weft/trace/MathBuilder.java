package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;

/**
 * What {@link MathLowering} needs to express a transcendental function as mandatory ops. Two
 * implementations exist: one builds IR nodes (the lowering a backend sees), one evaluates on
 * host scalars through {@link ScalarOps} (constant folding and the reference interpreter). Both
 * run the same algorithm, so a folded constant and a kernel's lane agree bit for bit.
 *
 * @param <V> a value: an IR node, or a host scalar
 */
public interface MathBuilder<V> {
    /** The type of a value. */
    DType type(V v);

    /** A constant of the given type; for integer types {@code value} must be integral. */
    V literal(DType type, double value);

    /** A constant given by its bits (as {@link ScalarOps} encodes them). */
    V literalBits(DType type, long bits);

    /** One of {@code NEG ABS SQRT FLOOR CEIL ROUND TRUNC NOT}. */
    V unary(Op op, V a);

    /** A binary or comparison op; both operands have the same type. */
    V binary(Op op, V a, V b);

    /** {@code FMA} (a, b, c of one type) or {@code SELECT} (mask BOOL, a, b). */
    V ternary(Op op, V a, V b, V c);

    /** Value conversion (see {@link Op#CAST}). */
    V cast(V a, DType to);

    /** Reinterpretation of the bits as a type of the same width. */
    V bitcast(V a, DType to);
}
