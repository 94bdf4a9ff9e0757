package dev.weft.conformance;

import dev.weft.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Host-side tensor contents: a dtype, a shape and one canonical bit pattern per element. It is
 * what an expected value is made of and what a device result is read into ({@link DeviceIo}).
 *
 * <p>Canonical bits: F16 the 16 half bits, F32 the 32 float bits and U32 the value (both
 * zero-extended), I32 the value (sign-extended), F64 the double bits, I64/U64 the 64 bits as
 * they are, BOOL 0 or 1.
 */
public record Values(DType dtype, long[] shape, long[] bits) {
    public Values {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        bits = bits.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != bits.length) {
            throw new IllegalArgumentException("Values: shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but " + bits.length + " were given");
        }
        for (int i = 0; i < bits.length; i++) {
            bits[i] = canonical(dtype, bits[i]);
        }
    }

    /** {@code bits} in the canonical form of {@code dtype} (see the class comment). */
    public static long canonical(DType dtype, long bits) {
        return switch (dtype) {
            case F16 -> bits & 0xFFFFL;
            case F32, U32 -> bits & 0xFFFF_FFFFL;
            case I32 -> (int) bits;
            case BOOL -> bits != 0 ? 1 : 0;
            case F64, I64, U64 -> bits;
        };
    }

    public static Values of(DType dtype, long[] bits, long... shape) {
        return new Values(dtype, shape.length == 0 ? new long[] {bits.length} : shape, bits);
    }

    public static Values ofFloats(float[] v, long... shape) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return of(DType.F32, b, shape);
    }

    public static Values ofDoubles(double[] v, long... shape) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return of(DType.F64, b, shape);
    }

    public static Values ofInts(int[] v, long... shape) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return of(DType.I32, b, shape);
    }

    public int size() {
        return bits.length;
    }

    /** Element {@code i} as a double (exact but for I64/U64 beyond 2^53). */
    public double value(int i) {
        return toDouble(dtype, bits[i]);
    }

    /** A canonical value of {@code dtype} as a double. */
    public static double toDouble(DType dtype, long bits) {
        return switch (dtype) {
            case F16 -> Float.float16ToFloat((short) bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            case F64 -> Double.longBitsToDouble(bits);
            case U64 -> new java.math.BigDecimal(Long.toUnsignedString(bits)).doubleValue();
            default -> bits;
        };
    }

    /** Whether element {@code i} is a float NaN. */
    public boolean isNaN(int i) {
        return dtype.isFloat() && Double.isNaN(value(i));
    }

    /** Same bits, where any NaN equals any NaN (payloads and signs of NaN are not specified). */
    public boolean sameElement(int i, long otherBits) {
        if (dtype.isFloat() && Double.isNaN(value(i)) && Double.isNaN(toDouble(dtype, otherBits))) {
            return true;
        }
        return bits[i] == canonical(dtype, otherBits);
    }

    /** Element {@code i} for a reader: the value and, for floats, the hex bits. */
    public String format(int i) {
        return format(dtype, bits[i]);
    }

    public static String format(DType dtype, long bits) {
        return switch (dtype) {
            case F16 -> Float.float16ToFloat((short) bits) + " (0x" + String.format("%04x", bits) + ")";
            case F32 -> Float.intBitsToFloat((int) bits) + " (0x" + String.format("%08x", bits) + ")";
            case F64 -> Double.longBitsToDouble(bits) + " (0x" + String.format("%016x", bits) + ")";
            case U32 -> Long.toString(bits);
            case U64 -> Long.toUnsignedString(bits);
            case BOOL -> bits != 0 ? "true" : "false";
            default -> Long.toString(bits);
        };
    }

    /** A short description: dtype, shape and the first elements. */
    public String summary() {
        StringBuilder sb = new StringBuilder(dtype + Arrays.toString(shape) + " {");
        for (int i = 0; i < Math.min(6, bits.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(format(i));
        }
        return sb.append(bits.length > 6 ? ", ...}" : "}").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Values v && v.dtype == dtype && Arrays.equals(v.shape, shape) && Arrays.equals(v.bits, bits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(bits));
    }

    @Override
    public String toString() {
        return summary();
    }
}
