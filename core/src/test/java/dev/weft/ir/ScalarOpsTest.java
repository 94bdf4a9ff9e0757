package dev.weft.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.DType;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Scalar semantics not reachable through the tensor API yet (MULHI, unsigned 64-bit conversions). */
class ScalarOpsTest {
    private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64);

    private static BigInteger unsigned(long bits) {
        return bits >= 0 ? BigInteger.valueOf(bits) : BigInteger.valueOf(bits).add(U64);
    }

    @Test
    void mulhiOfUnsigned32BitOperandsIsTheHighWordOfTheExactProduct() {
        long a = 0xFFFF_FFFFL;
        // (2^32 - 1)^2 = 2^64 - 2^33 + 1, whose high word is 2^32 - 2
        assertEquals(0xFFFF_FFFEL, ScalarOps.binary(Op.MULHI, DType.U32, a, a));
        assertEquals(0xD251_1F52L, ScalarOps.binary(Op.MULHI, DType.U32, 0xD251_1F53L, 0xFFFF_FFFFL),
                "Philox's multiplier times 2^32-1: high word is the multiplier minus one");
    }

    @Test
    void mulhiOfSigned32BitOperandsKeepsTheSign() {
        assertEquals(1L << 30, ScalarOps.binary(Op.MULHI, DType.I32, Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(-1L, ScalarOps.binary(Op.MULHI, DType.I32, -1, 1), "-1 = 0xFFFFFFFF_FFFFFFFF: high word -1");
    }

    @Test
    void mulhiOf64BitOperandsMatchesBigInteger() {
        long a = 0x9E37_79B9_7F4A_7C15L;
        long b = 0xBF58_476D_1CE4_E5B9L;
        long expected = unsigned(a).multiply(unsigned(b)).shiftRight(64).longValue();
        assertEquals(expected, ScalarOps.binary(Op.MULHI, DType.U64, a, b));
        long signed = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).shiftRight(64).longValue();
        assertEquals(signed, ScalarOps.binary(Op.MULHI, DType.I64, a, b));
    }

    @Test
    void unsigned64BitToDoubleRoundsOnceToNearestEven() {
        long[] samples = {-1L, 0x8000_0000_0000_0401L, 0xFFFF_FFFF_FFFF_FC00L, 0x8000_0000_0000_0C00L};
        for (long v : samples) {
            double expected = new BigDecimal(unsigned(v)).doubleValue();
            assertEquals(expected, ScalarOps.toDouble(DType.F64, ScalarOps.cast(DType.U64, DType.F64, v)),
                    Long.toUnsignedString(v));
            float expectedF = new BigDecimal(unsigned(v)).floatValue();
            assertEquals(expectedF, ScalarOps.asFloat(ScalarOps.cast(DType.U64, DType.F32, v)), Long.toUnsignedString(v));
        }
    }

    @Test
    void doubleToUnsigned64BitSaturates() {
        assertEquals(-1L, ScalarOps.cast(DType.F64, DType.U64, ScalarOps.ofDouble(1e30)));
        assertEquals(0L, ScalarOps.cast(DType.F64, DType.U64, ScalarOps.ofDouble(-5)));
        assertEquals(0L, ScalarOps.cast(DType.F64, DType.U64, ScalarOps.ofDouble(Double.NaN)));
        double big = 1.5 * 0x1p63; // above Long.MAX_VALUE
        assertEquals(new BigDecimal(big).toBigInteger().longValue(),
                ScalarOps.cast(DType.F64, DType.U64, ScalarOps.ofDouble(big)));
    }
}
