package dev.weft.ir;

/**
 * The operations of the IR: a closed taxonomy of tokens that carry no behaviour (the scalar
 * meaning of each lives in {@link ScalarOps}, the definition every backend matches).
 *
 * <p>Each op has an {@link #arity() arity} and a {@link Kind}. Ops marked {@link #lowerable()}
 * are rewritten by the core into the mandatory ops (polynomials of {@code + - * / fma}, selects,
 * casts, bit operations) unless a backend lists them in its capabilities.
 *
 * <p><b>Vectors.</b> A value has a length: 1 for a scalar, L for a vector of L components per
 * lane (a cooperative vector). The element-wise ops (unary, transcendental, binary, comparison,
 * ternary, conversions) apply to vectors component by component: an operand of length 1 stands
 * for L copies of itself, the others have length L, and the result has length L. So one op token
 * covers scalars and vectors, and a backend implements vectors once, generically. Only
 * {@link #LOAD}, {@link #MATVEC}, {@link #PACK} and the ops of their kind make vectors; only
 * {@link #EXTRACT} and {@link #OUTER_ADD} read their components apart. Leaves, gathers and
 * scatters are scalars.
 */
public enum Op {
    // leaves
    /** A compile-time constant; its bits are part of the kernel's hash. */
    LITERAL(0, Kind.LEAF),
    /** An opaque scalar parameter: passed at launch, left out of the kernel's hash. */
    PARAM(0, Kind.LEAF),
    /** The lane index 0..N-1 (I32). */
    LANE(0, Kind.LEAF),
    /**
     * Read known to be in range (operand: index I32): {@code buffer[index]}, or for a vector of
     * length L the L consecutive elements {@code buffer[index + c]}, {@code c < L}.
     */
    LOAD(1, Kind.MEMORY),
    /** Checked read: {@code mask && 0 <= index < bound ? buffer[index] : 0}
     *  (operands: index I32, bound I32, mask BOOL). */
    GATHER(3, Kind.MEMORY),

    // unary arithmetic
    NEG(1, Kind.UNARY),
    ABS(1, Kind.UNARY),
    SQRT(1, Kind.UNARY),
    FLOOR(1, Kind.UNARY),
    CEIL(1, Kind.UNARY),
    /** Round half to even. */
    ROUND(1, Kind.UNARY),
    TRUNC(1, Kind.UNARY),
    /** Bitwise not (logical not for BOOL). */
    NOT(1, Kind.UNARY),

    // transcendental (lowered by the core unless a backend declares them)
    EXP2(1, Kind.TRANSCENDENTAL),
    LOG2(1, Kind.TRANSCENDENTAL),
    EXP(1, Kind.TRANSCENDENTAL),
    LOG(1, Kind.TRANSCENDENTAL),
    SIN(1, Kind.TRANSCENDENTAL),
    COS(1, Kind.TRANSCENDENTAL),
    TANH(1, Kind.TRANSCENDENTAL),

    // binary arithmetic
    ADD(2, Kind.BINARY),
    SUB(2, Kind.BINARY),
    MUL(2, Kind.BINARY),
    /** Float division (correctly rounded) or integer division (by zero gives 0). */
    DIV(2, Kind.BINARY),
    /** Integer remainder with the sign of the dividend (by zero gives 0); float: as Java's %. */
    REM(2, Kind.BINARY),
    /** NaN if either operand is NaN (as {@link Math#min(float, float)}). */
    MIN(2, Kind.BINARY),
    MAX(2, Kind.BINARY),
    /** High half of the full product of two 32- or 64-bit integers. */
    MULHI(2, Kind.BINARY),
    AND(2, Kind.BINARY),
    OR(2, Kind.BINARY),
    XOR(2, Kind.BINARY),
    /** Shift left; the count is masked to the bit width minus one (as Java). */
    SHL(2, Kind.BINARY),
    /** Shift right: arithmetic for signed, logical for unsigned types; count masked. */
    SHR(2, Kind.BINARY),

    // comparisons (result BOOL)
    EQ(2, Kind.COMPARE),
    NE(2, Kind.COMPARE),
    LT(2, Kind.COMPARE),
    LE(2, Kind.COMPARE),
    GT(2, Kind.COMPARE),
    GE(2, Kind.COMPARE),

    // ternary
    /** {@code a * b + c} with one rounding. */
    FMA(3, Kind.TERNARY),
    /** {@code mask ? a : b} (operands: mask BOOL, a, b). */
    SELECT(3, Kind.TERNARY),

    // conversions
    /** Value conversion; float to integer truncates, NaN gives 0, out of range saturates. */
    CAST(1, Kind.CONVERT),
    /** Reinterpretation of the bits as another type of the same width. */
    BITCAST(1, Kind.CONVERT),

    // side effects: operands index I32, value, mask BOOL, bound I32; the node's type is the
    // value's type; lanes whose index is out of [0, bound) or whose mask is false do nothing
    SCATTER(4, Kind.SIDE_EFFECT),
    SCATTER_ADD(4, Kind.SIDE_EFFECT),
    SCATTER_MIN(4, Kind.SIDE_EFFECT),
    SCATTER_MAX(4, Kind.SIDE_EFFECT),

    // vectors: a value of {@code length} components per lane (see the class comment)
    /**
     * Matrix-vector product per lane: {@code y_r = b_r + sum_c M[r][c] * x_c}, with {@code M}
     * the matrix read from a buffer as {@link MatrixAccess} says. Operands: {@code x}, a vector of
     * {@code inputLength} components, and the bias {@code b}, a vector of {@code outputLength}
     * components or one value for all (a literal 0 when there is none). The result is a vector of
     * {@code outputLength} components of the node's type, the accumulation type (F32 or F64;
     * matrix elements are converted to it); each output is accumulated in that type with one
     * rounding per term at most ({@code fma}), in an order the backend chooses.
     */
    MATVEC(2, Kind.VECTOR),
    /** Component {@code imm} of a vector (operand: the vector); a scalar result. */
    EXTRACT(1, Kind.VECTOR),
    /** A vector of its scalar operands, in order ({@code length} of them). */
    PACK(-1, Kind.VECTOR),
    /**
     * Outer-product accumulation, a side effect: {@code buffer[offset + i * stride + j] +=
     * sum over lanes of u_i * v_j} for {@code i < rows}, {@code j < cols} (never transposed).
     * Operands: the vectors {@code u} ({@code rows} components) and {@code v} ({@code cols}),
     * of the node's type (F32 or F64). Each element's sum over all lanes of one launch is formed
     * in that type (in an order the backend chooses), added to the memory value in that type, and
     * the result converted to the memory type (so F16 memory rounds once per element and launch).
     */
    OUTER_ADD(2, Kind.SIDE_EFFECT);

    /** Arity of ops whose operand count is their result's length ({@link #PACK}). */
    public static final int VARIADIC = -1;

    /** The family of an op, for validation and rendering. */
    public enum Kind { LEAF, MEMORY, UNARY, TRANSCENDENTAL, BINARY, COMPARE, TERNARY, CONVERT, SIDE_EFFECT, VECTOR }

    private final int arity;
    private final Kind kind;

    Op(int arity, Kind kind) {
        this.arity = arity;
        this.kind = kind;
    }

    /** Number of value operands, or {@link #VARIADIC}. */
    public int arity() {
        return arity;
    }

    public Kind kind() {
        return kind;
    }

    /** True where the core can rewrite the op into mandatory ops (see the class comment). */
    public boolean lowerable() {
        return kind == Kind.TRANSCENDENTAL;
    }

    public boolean isSideEffect() {
        return kind == Kind.SIDE_EFFECT;
    }

    /** True for the ops whose operand count is their result's length. */
    public boolean isVariadic() {
        return arity == VARIADIC;
    }
}
