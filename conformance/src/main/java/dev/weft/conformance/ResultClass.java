package dev.weft.conformance;

/**
 * How exactly a backend must reproduce a result (DESIGN.md "Numbers", result classes). Every
 * {@link ConformanceCase} declares one.
 */
public enum ResultClass {
    /**
     * Integer ops, casts, comparisons, the correctly rounded {@code + - * / sqrt fma}, F16
     * rounding: equal bit for bit to the host's IEEE arithmetic (any NaN matches any NaN), and
     * identical to the reference backend.
     */
    BIT_EXACT(true),
    /**
     * Transcendentals, which the core lowers to polynomials of bit-exact ops: within a stated ulp
     * bound of {@code StrictMath} (the expected value is independent of the polynomial), and
     * identical bit for bit to the reference backend.
     */
    POLYNOMIAL(true),
    /**
     * Sums in a backend-chosen order (lane reductions, matmul): within
     * {@code K * 2^-23 * sum(|terms|)} (F32; {@code 2^-52} for F64) of the exact sum; backends may differ.
     */
    ORDERED_SUM(false);

    private final boolean identicalAcrossBackends;

    ResultClass(boolean identicalAcrossBackends) {
        this.identicalAcrossBackends = identicalAcrossBackends;
    }

    /** Whether every backend must produce the reference backend's bits. */
    public boolean identicalAcrossBackends() {
        return identicalAcrossBackends;
    }
}
