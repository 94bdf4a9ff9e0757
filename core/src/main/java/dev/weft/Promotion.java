package dev.weft;

/**
 * Which dtype a mixed operation computes in (DESIGN.md "Numbers"): the wider float wins; a
 * float beats any integer; integers of one signedness take the wider; BOOL gives way to the
 * other type. Mixing signed and unsigned integers is an error with the fix in the message.
 */
final class Promotion {
    private Promotion() {}

    static DType of(String op, DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a == DType.BOOL) {
            return b;
        }
        if (b == DType.BOOL) {
            return a;
        }
        if (a.isFloat() || b.isFloat()) {
            if (a.isFloat() && b.isFloat()) {
                return a.bytes() >= b.bytes() ? a : b;
            }
            return a.isFloat() ? a : b;
        }
        if (a.isUnsigned() != b.isUnsigned()) {
            throw new IllegalArgumentException(op + ": cannot mix " + a + " and " + b
                    + " (signed and unsigned integers); convert one with to(DType." + (a.bytes() >= b.bytes() ? a : b) + ")");
        }
        return a.bytes() >= b.bytes() ? a : b;
    }
}
