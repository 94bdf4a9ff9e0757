package dev.weft.conformance;

import dev.weft.DType;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The host's model of every element-wise op, written from DESIGN.md "Numbers" with Java's own
 * arithmetic (IEEE correctly rounded {@code float}/{@code double}, {@link Math#fma}, integer
 * wrap-around, {@link BigDecimal} where one rounding must be exact). It is independent of the
 * core: nothing here calls Weft. Values are canonical bits ({@link Values}).
 *
 * <p>F16 {@code + - * / sqrt} compute in F32 and round to F16: F32 has 24 >= 2*11+2 bits, so the
 * double rounding is innocuous and the result is the correctly rounded F16 value. F16 {@code fma}
 * rounds the exact {@code a*b+c} once.
 */
public final class HostArithmetic {
    private HostArithmetic() {}

    /** {@code op} applied to operands of dtype {@code t} (WHERE: operand 0 is the BOOL mask). */
    public static long apply(ElementOp op, DType t, long... x) {
        return switch (op.arity()) {
            case 1 -> unary(op, t, x[0]);
            case 2 -> binary(op, t, x[0], x[1]);
            default -> op == ElementOp.FMA ? fma(t, x[0], x[1], x[2]) : (x[0] != 0 ? x[1] : x[2]);
        };
    }

    // ---- helpers -------------------------------------------------------------------------

    static float half(long bits) {
        return Float.float16ToFloat((short) bits);
    }

    static long toHalf(float f) {
        return Float.floatToFloat16(f) & 0xFFFFL;
    }

    static float f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    static long ofF32(float f) {
        return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
    }

    static double f64(long bits) {
        return Double.longBitsToDouble(bits);
    }

    static long ofF64(double d) {
        return Double.doubleToRawLongBits(d);
    }

    /** The exact value of an integer or BOOL element. */
    static BigInteger integer(DType t, long bits) {
        return t == DType.U64 ? new BigInteger(Long.toUnsignedString(bits)) : BigInteger.valueOf(bits);
    }

    // ---- unary ---------------------------------------------------------------------------

    static long unary(ElementOp op, DType t, long a) {
        return switch (t) {
            case F16 -> toHalf(unaryFloat(op, half(a)));
            case F32 -> ofF32(unaryFloat(op, f32(a)));
            case F64 -> ofF64(unaryDouble(op, f64(a)));
            case BOOL -> switch (op) {
                case NOT -> a ^ 1;
                default -> throw undefined(op, t);
            };
            default -> Values.canonical(t, switch (op) {
                case NEG -> -a;
                case ABS -> t.isUnsigned() ? a : t == DType.I32 ? Math.abs((int) a) : Math.abs(a);
                case NOT -> ~a;
                case FLOOR, CEIL, ROUND, TRUNC -> a;
                default -> throw undefined(op, t);
            });
        };
    }

    private static float unaryFloat(ElementOp op, float a) {
        return switch (op) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SQRT -> (float) Math.sqrt(a); // 53 >= 2*24+2 bits: one correct rounding
            case FLOOR -> (float) Math.floor(a);
            case CEIL -> (float) Math.ceil(a);
            case ROUND -> (float) Math.rint(a);
            case TRUNC -> (float) (a < 0 ? Math.ceil(a) : Math.floor(a));
            default -> throw undefined(op, DType.F32);
        };
    }

    private static double unaryDouble(ElementOp op, double a) {
        return switch (op) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SQRT -> Math.sqrt(a);
            case FLOOR -> Math.floor(a);
            case CEIL -> Math.ceil(a);
            case ROUND -> Math.rint(a);
            case TRUNC -> a < 0 ? Math.ceil(a) : Math.floor(a);
            default -> throw undefined(op, DType.F64);
        };
    }

    // ---- binary --------------------------------------------------------------------------

    static long binary(ElementOp op, DType t, long a, long b) {
        if (op.isComparison()) {
            return compare(op, t, a, b) ? 1 : 0;
        }
        return switch (t) {
            case F16 -> toHalf(binaryFloat(op, half(a), half(b)));
            case F32 -> ofF32(binaryFloat(op, f32(a), f32(b)));
            case F64 -> ofF64(binaryDouble(op, f64(a), f64(b)));
            case BOOL -> switch (op) {
                case AND, MIN -> a & b;
                case OR, MAX -> a | b;
                case XOR -> a ^ b;
                default -> throw undefined(op, t);
            };
            default -> Values.canonical(t, binaryInteger(op, t, a, b));
        };
    }

    private static float binaryFloat(ElementOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case REM -> a % b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> throw undefined(op, DType.F32);
        };
    }

    private static double binaryDouble(ElementOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case REM -> a % b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> throw undefined(op, DType.F64);
        };
    }

    private static long binaryInteger(ElementOp op, DType t, long a, long b) {
        boolean wide = t.bytes() == 8;
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> b == 0 ? 0 : switch (t) {
                case I32 -> (int) a / (int) b;
                case U32 -> Integer.toUnsignedLong(Integer.divideUnsigned((int) a, (int) b));
                case I64 -> a / b;
                default -> Long.divideUnsigned(a, b);
            };
            case REM -> b == 0 ? 0 : switch (t) {
                case I32 -> (int) a % (int) b;
                case U32 -> Integer.toUnsignedLong(Integer.remainderUnsigned((int) a, (int) b));
                case I64 -> a % b;
                default -> Long.remainderUnsigned(a, b);
            };
            case MIN -> compareInteger(t, a, b) <= 0 ? a : b;
            case MAX -> compareInteger(t, a, b) >= 0 ? a : b;
            case AND -> a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case SHL -> wide ? a << b : (int) a << b; // Java masks the count: & 63, & 31
            case SHR -> switch (t) {
                case I32 -> (int) a >> b;
                case U32 -> (int) a >>> b;
                case I64 -> a >> b;
                default -> a >>> b;
            };
            default -> throw undefined(op, t);
        };
    }

    private static int compareInteger(DType t, long a, long b) {
        return t == DType.U64 ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static boolean compare(ElementOp op, DType t, long a, long b) {
        if (t.isFloat()) {
            double x = Values.toDouble(t, a);
            double y = Values.toDouble(t, b);
            return switch (op) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                default -> x >= y;
            };
        }
        int c = compareInteger(t, a, b);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    // ---- fma -----------------------------------------------------------------------------

    static long fma(DType t, long a, long b, long c) {
        return switch (t) {
            case F16 -> {
                double d = Math.fma((double) half(a), half(b), half(c));
                if (d == 0 || !Double.isFinite(d)) {
                    yield toHalf((float) d); // exact zero (with IEEE's sign), infinity or NaN
                }
                BigDecimal exact = new BigDecimal(half(a)).multiply(new BigDecimal(half(b))).add(new BigDecimal(half(c)));
                yield HalfRounding.fromExact(exact) & 0xFFFFL;
            }
            case F32 -> ofF32(Math.fma(f32(a), f32(b), f32(c)));
            case F64 -> ofF64(Math.fma(f64(a), f64(b), f64(c)));
            case BOOL -> throw undefined(ElementOp.FMA, t);
            default -> Values.canonical(t, a * b + c);
        };
    }

    // ---- conversions ---------------------------------------------------------------------

    /**
     * {@code to(target)}: float to integer truncates, NaN gives 0, out of range saturates (to 0
     * for negative values and unsigned targets); integer to integer keeps the low bits; to F16
     * rounds once from the exact value; to BOOL is {@code != 0} (NaN is true).
     */
    public static long cast(DType from, DType to, long bits) {
        if (from == to) {
            return bits;
        }
        if (from.isFloat()) {
            double v = Values.toDouble(from, bits);
            return switch (to) {
                case F16 -> (from == DType.F32 ? Float.floatToFloat16((float) v) : HalfRounding.fromDouble(v)) & 0xFFFFL;
                case F32 -> ofF32((float) v);
                case F64 -> ofF64(v);
                case I32 -> Values.canonical(to, (int) v);
                case I64 -> (long) v;
                case U32 -> Double.isNaN(v) || v <= 0 ? 0 : v >= 4294967295.0 ? 0xFFFF_FFFFL : (long) v;
                case U64 -> Double.isNaN(v) || v <= 0 ? 0 : v >= 0x1p64 ? -1L
                        : new BigDecimal(v).toBigInteger().longValue();
                case BOOL -> v != 0 ? 1 : 0;
            };
        }
        BigInteger value = integer(from, bits);
        return switch (to) {
            case F16 -> HalfRounding.fromExact(new BigDecimal(value)) & 0xFFFFL;
            case F32 -> ofF32(from == DType.U64 ? new BigDecimal(value).floatValue() : (float) bits);
            case F64 -> ofF64(from == DType.U64 ? new BigDecimal(value).doubleValue() : (double) bits);
            case BOOL -> bits != 0 ? 1 : 0;
            default -> Values.canonical(to, bits); // two's complement: the low bits are kept
        };
    }

    /**
     * The dtype a mixed operation computes in (DESIGN.md "Numbers"): the wider float wins, a
     * float beats an integer, integers of one signedness take the wider, BOOL gives way.
     *
     * @throws IllegalArgumentException for signed with unsigned integers (the API rejects them)
     */
    public static DType promote(DType a, DType b) {
        if (a == b || b == DType.BOOL) {
            return a;
        }
        if (a == DType.BOOL) {
            return b;
        }
        if (a.isFloat() || b.isFloat()) {
            if (a.isFloat() && b.isFloat()) {
                return a.bytes() >= b.bytes() ? a : b;
            }
            return a.isFloat() ? a : b;
        }
        if (a.isUnsigned() != b.isUnsigned()) {
            throw new IllegalArgumentException("signed and unsigned: " + a + ", " + b);
        }
        return a.bytes() >= b.bytes() ? a : b;
    }

    private static IllegalArgumentException undefined(ElementOp op, DType t) {
        return new IllegalArgumentException(op + " is not defined for " + t);
    }
}
