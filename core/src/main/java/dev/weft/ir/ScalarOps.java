package dev.weft.ir;

import dev.weft.DType;
import dev.weft.trace.MathLowering;

/**
 * The scalar meaning of every op: the executable definition that the reference interpreter,
 * constant folding and the conformance suite share (DESIGN.md "Numbers").
 *
 * <p>Values travel as {@code long} bits: F16 as the 16 half-precision bits (zero-extended), F32
 * as {@link Float#floatToRawIntBits} sign-extended, F64 as {@link Double#doubleToRawLongBits},
 * I32 sign-extended, U32 zero-extended, I64/U64 as they are, BOOL as 0 or 1. F16 operations
 * compute in F32 and round once (round to nearest even). Transcendentals run the core's
 * polynomials, the same code that replaces them in kernels, so a host-folded constant equals what
 * any backend computes.
 */
public final class ScalarOps {
    private ScalarOps() {}

    // ---- encoding ----------------------------------------------------------------------------

    /** Encodes a double as a value of {@code type} (a conversion, as {@link Op#CAST} from F64). */
    public static long fromDouble(DType type, double v) {
        return cast(DType.F64, type, Double.doubleToRawLongBits(v));
    }

    /** Decodes a value as a double (exact for every type but I64/U64 beyond 2^53). */
    public static double toDouble(DType type, long bits) {
        return switch (type) {
            case F16 -> Float.float16ToFloat((short) bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            case F64 -> Double.longBitsToDouble(bits);
            case I32, I64, BOOL -> bits;
            case U32 -> bits & 0xFFFF_FFFFL;
            case U64 -> unsignedToDouble(bits);
        };
    }

    /** Brings bits into the canonical form of {@code type} (see the class comment). */
    public static long normalize(DType type, long bits) {
        return switch (type) {
            case F16 -> bits & 0xFFFFL;
            case F32, I32 -> (int) bits;
            case U32 -> bits & 0xFFFF_FFFFL;
            case BOOL -> bits != 0 ? 1 : 0;
            case F64, I64, U64 -> bits;
        };
    }

    public static long ofFloat(float f) {
        return Float.floatToRawIntBits(f);
    }

    public static long ofDouble(double d) {
        return Double.doubleToRawLongBits(d);
    }

    public static float asFloat(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    public static double asDouble(long bits) {
        return Double.longBitsToDouble(bits);
    }

    public static float halfToFloat(long bits) {
        return Float.float16ToFloat((short) bits);
    }

    public static long floatToHalf(float f) {
        return Float.floatToFloat16(f) & 0xFFFFL;
    }

    // ---- unary -------------------------------------------------------------------------------

    public static long unary(Op op, DType type, long a) {
        if (op.lowerable()) {
            return transcendental(op, type, a);
        }
        return switch (type) {
            case F16 -> floatToHalf(asFloat(unary(op, DType.F32, ofFloat(halfToFloat(a)))));
            case F32 -> ofFloat(unaryFloat(op, asFloat(a)));
            case F64 -> ofDouble(unaryDouble(op, asDouble(a)));
            case BOOL -> switch (op) {
                case NOT -> a ^ 1;
                case ABS, FLOOR, CEIL, ROUND, TRUNC -> a;
                default -> throw unsupported(op, type);
            };
            default -> normalize(type, unaryInteger(op, type, a));
        };
    }

    private static float unaryFloat(Op op, float a) {
        return switch (op) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SQRT -> (float) Math.sqrt(a); // sqrt of a float is exact in double, then rounds once
            case FLOOR -> (float) Math.floor(a);
            case CEIL -> (float) Math.ceil(a);
            case ROUND -> (float) Math.rint(a);
            case TRUNC -> (float) (a < 0 ? Math.ceil(a) : Math.floor(a));
            default -> throw unsupported(op, DType.F32);
        };
    }

    private static double unaryDouble(Op op, double a) {
        return switch (op) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SQRT -> Math.sqrt(a);
            case FLOOR -> Math.floor(a);
            case CEIL -> Math.ceil(a);
            case ROUND -> Math.rint(a);
            case TRUNC -> a < 0 ? Math.ceil(a) : Math.floor(a);
            default -> throw unsupported(op, DType.F64);
        };
    }

    private static long unaryInteger(Op op, DType type, long a) {
        return switch (op) {
            case NEG -> -a;
            case ABS -> type.isUnsigned() ? a : Math.abs(a);
            case NOT -> ~a;
            case FLOOR, CEIL, ROUND, TRUNC -> a;
            default -> throw unsupported(op, type);
        };
    }

    private static long transcendental(Op op, DType type, long a) {
        return switch (type) {
            case F16 -> floatToHalf(asFloat(transcendental(op, DType.F32, ofFloat(halfToFloat(a)))));
            case F32, F64 -> MathLowering.lower(ScalarMath.INSTANCE, op, new ScalarMath.Value(type, a)).bits();
            default -> throw unsupported(op, type);
        };
    }

    // ---- binary ------------------------------------------------------------------------------

    /** A binary op; comparisons return BOOL (0 or 1), everything else a value of {@code type}. */
    public static long binary(Op op, DType type, long a, long b) {
        if (op.kind() == Op.Kind.COMPARE) {
            return compare(op, type, a, b) ? 1 : 0;
        }
        return switch (type) {
            case F16 -> floatToHalf(asFloat(binary(op, DType.F32, ofFloat(halfToFloat(a)), ofFloat(halfToFloat(b)))));
            case F32 -> ofFloat(binaryFloat(op, asFloat(a), asFloat(b)));
            case F64 -> ofDouble(binaryDouble(op, asDouble(a), asDouble(b)));
            case BOOL -> switch (op) {
                case AND, MIN, MUL -> a & b;
                case OR, MAX -> a | b;
                case XOR -> a ^ b;
                default -> throw unsupported(op, type);
            };
            default -> normalize(type, binaryInteger(op, type, a, b));
        };
    }

    private static float binaryFloat(Op op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case REM -> a % b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> throw unsupported(op, DType.F32);
        };
    }

    private static double binaryDouble(Op op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case REM -> a % b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> throw unsupported(op, DType.F64);
        };
    }

    private static long binaryInteger(Op op, DType type, long a, long b) {
        boolean wide = type.bytes() == 8;
        boolean unsigned = type.isUnsigned();
        int width = type.bits();
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> b == 0 ? 0 : divide(type, a, b);
            case REM -> b == 0 ? 0 : remainder(type, a, b);
            case MIN -> compareInteger(type, a, b) <= 0 ? a : b;
            case MAX -> compareInteger(type, a, b) >= 0 ? a : b;
            case AND -> a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case SHL -> wide ? a << (b & 63) : (long) ((int) a << (b & 31));
            case SHR -> {
                int n = (int) (b & (width - 1));
                if (wide) {
                    yield unsigned ? a >>> n : a >> n;
                }
                yield unsigned ? (long) ((int) a >>> n) : (long) ((int) a >> n);
            }
            case MULHI -> {
                if (wide) {
                    yield unsigned ? Math.unsignedMultiplyHigh(a, b) : Math.multiplyHigh(a, b);
                }
                // canonical operands are sign- (I32) or zero-extended (U32) 32-bit values, so the
                // 64-bit product is exact; an unsigned one may exceed 2^63, hence the logical shift
                yield unsigned ? (a * b) >>> 32 : (a * b) >> 32;
            }
            default -> throw unsupported(op, type);
        };
    }

    private static long divide(DType type, long a, long b) {
        return switch (type) {
            case I32 -> (int) a / (int) b;
            case U32 -> Integer.toUnsignedLong(Integer.divideUnsigned((int) a, (int) b));
            case I64 -> a / b;
            default -> Long.divideUnsigned(a, b);
        };
    }

    private static long remainder(DType type, long a, long b) {
        return switch (type) {
            case I32 -> (int) a % (int) b;
            case U32 -> Integer.toUnsignedLong(Integer.remainderUnsigned((int) a, (int) b));
            case I64 -> a % b;
            default -> Long.remainderUnsigned(a, b);
        };
    }

    private static int compareInteger(DType type, long a, long b) {
        return type == DType.U64 ? Long.compareUnsigned(a, b) : Long.compare(a, b); // U32 is zero-extended
    }

    private static boolean compare(Op op, DType type, long a, long b) {
        if (type.isFloat()) {
            double x = toDouble(type, a);
            double y = toDouble(type, b);
            return switch (op) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                case GE -> x >= y;
                default -> throw unsupported(op, type);
            };
        }
        int c = compareInteger(type, a, b);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> throw unsupported(op, type);
        };
    }

    // ---- ternary -----------------------------------------------------------------------------

    /** {@code FMA} of three values of {@code type}. */
    public static long fma(DType type, long a, long b, long c) {
        return switch (type) {
            // correctly rounded, as native half fma is: the F64 fma of half values lands on the half
            // grid or far enough from its ties that one more rounding (to odd, then to half) is exact
            case F16 -> cast(DType.F64, DType.F16,
                    ofDouble(Math.fma((double) halfToFloat(a), halfToFloat(b), halfToFloat(c))));
            case F32 -> ofFloat(Math.fma(asFloat(a), asFloat(b), asFloat(c)));
            case F64 -> ofDouble(Math.fma(asDouble(a), asDouble(b), asDouble(c)));
            case BOOL -> throw unsupported(Op.FMA, type);
            default -> normalize(type, a * b + c);
        };
    }

    public static long select(long mask, long a, long b) {
        return mask != 0 ? a : b;
    }

    // ---- conversions -------------------------------------------------------------------------

    /**
     * Converts a value. Float to integer truncates toward zero; NaN gives 0; values beyond the
     * target range saturate (as Java's casts; negative values saturate to 0 for unsigned types).
     * Integer to integer wraps (keeps the low bits). Any value to BOOL is {@code value != 0}.
     */
    public static long cast(DType from, DType to, long bits) {
        if (from == to) {
            return bits;
        }
        if (to == DType.BOOL) {
            return from.isFloat() ? (toDouble(from, bits) != 0 ? 1 : 0) : (bits != 0 ? 1 : 0);
        }
        if (from.isFloat()) {
            return castFromFloat(from, to, bits);
        }
        // from an integer or BOOL; canonical bits are the value (U64 aside)
        return switch (to) {
            case F16 -> floatToHalf(from == DType.U64 ? unsignedToFloat(bits) : (float) bits);
            case F32 -> ofFloat(from == DType.U64 ? unsignedToFloat(bits) : (float) bits);
            case F64 -> ofDouble(from == DType.U64 ? unsignedToDouble(bits) : (double) bits);
            default -> normalize(to, bits);
        };
    }

    private static long castFromFloat(DType from, DType to, long bits) {
        double v = toDouble(from, bits);
        return switch (to) {
            case F16 -> from == DType.F64 ? floatToHalf(doubleToFloatThenHalf(v)) : floatToHalf((float) v);
            case F32 -> ofFloat((float) v);
            case F64 -> ofDouble(v);
            case I32 -> (int) v;
            case I64 -> (long) v;
            case U32 -> Double.isNaN(v) || v <= 0 ? 0 : v >= 4294967295.0 ? 0xFFFF_FFFFL : (long) v;
            case U64 -> doubleToUnsignedLong(v);
            case BOOL -> v != 0 ? 1 : 0;
        };
    }

    /** F64 to F16 in one rounding (not through F32, which could round twice). */
    private static float doubleToFloatThenHalf(double v) {
        float f = (float) v;
        if ((double) f == v || f == 0 || Float.isNaN(f) || Float.isInfinite(f)) {
            return f; // exact, or so small (below 2^-149) that the half result is a signed zero anyway
        }
        // Break a potential double rounding: make the float's last bit sticky (round to odd).
        int b = Float.floatToRawIntBits(f);
        if (((double) f > v) == (f > 0)) {
            b -= 1; // f was rounded away from zero; step back toward zero
        }
        return Float.intBitsToFloat(b | 1);
    }

    private static long doubleToUnsignedLong(double v) {
        if (Double.isNaN(v) || v <= 0) {
            return 0;
        }
        if (v >= 18446744073709551615.0) {
            return -1L;
        }
        if (v < 9223372036854775808.0) {
            return (long) v;
        }
        return (long) (v - 9223372036854775808.0) ^ Long.MIN_VALUE;
    }

    private static double unsignedToDouble(long bits) {
        if (bits >= 0) {
            return bits;
        }
        // halve with the low bit kept sticky, convert, double: one correct rounding
        return ((double) ((bits >>> 1) | (bits & 1))) * 2.0;
    }

    private static float unsignedToFloat(long bits) {
        if (bits >= 0) {
            return bits;
        }
        return ((float) ((bits >>> 1) | (bits & 1))) * 2.0f;
    }

    /** Reinterprets the bits as another type of the same width. */
    public static long bitcast(DType from, DType to, long bits) {
        if (from.bytes() != to.bytes()) {
            throw new IllegalArgumentException("bitcast(): " + from + " and " + to + " differ in width ("
                    + from.bytes() + " and " + to.bytes() + " bytes); use a type of the same width");
        }
        return normalize(to, bits);
    }

    private static AssertionError unsupported(Op op, DType type) {
        return new AssertionError("ScalarOps: op " + op + " has no meaning for " + type
                + " (the tracer should have rejected it)");
    }
}
