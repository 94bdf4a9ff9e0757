package dev.weft.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The host model the suite's expected values come from, checked against the JDK's own correctly
 * rounded conversions and against hand-computed values.
 */
class HostModelTest {

    @Test
    void halfRoundingAgreesWithTheJdkOnEveryFloatSample() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(Float.floatToFloat16(f), HalfRounding.fromDouble(f), "at " + f);
        }
    }

    @Test
    void halfRoundingOfADoubleRoundsOnce() {
        // 1 + 2^-11 + 2^-40 is above the tie between 1 and 1 + 2^-10; through F32 it would land on the tie
        assertEquals((short) 0x3C01, HalfRounding.fromDouble(1 + 0x1p-11 + 0x1p-40));
        assertEquals((short) 0x3C00, Float.floatToFloat16((float) (1 + 0x1p-11 + 0x1p-40)));
        assertEquals((short) 0x7C00, HalfRounding.fromDouble(65520));
        assertEquals((short) 0x7BFF, HalfRounding.fromDouble(65519.99));
        assertEquals((short) 0x8000, HalfRounding.fromDouble(-0x1p-26));
    }

    @Test
    void unsignedToFloatIsCorrectlyRounded() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            long u = r.nextLong() | Long.MIN_VALUE;
            // reference: halve with a sticky low bit (exact), convert (one rounding), double (exact)
            float sticky = ((float) ((u >>> 1) | (u & 1))) * 2.0f;
            assertEquals(Float.floatToRawIntBits(sticky),
                    (int) HostArithmetic.cast(DType.U64, DType.F32, u), Long.toUnsignedString(u));
            assertEquals(new BigDecimal(Long.toUnsignedString(u)).doubleValue(),
                    Double.longBitsToDouble(HostArithmetic.cast(DType.U64, DType.F64, u)));
        }
    }

    @Test
    void f16FmaRoundsTheExactValueOnce() {
        // (1 + 2^-10)^2 - (1 + 2^-9) = 2^-20 = 16 * 2^-24
        assertEquals(0x0010, HostArithmetic.fma(DType.F16, 0x3C01, 0x3C01, 0xBC02));
    }

    @Test
    void integerEdgesFollowTheDesignTable() {
        assertEquals(0, HostArithmetic.binary(ElementOp.DIV, DType.I32, 7, 0));
        assertEquals(Integer.MIN_VALUE, HostArithmetic.binary(ElementOp.DIV, DType.I32, Integer.MIN_VALUE, -1));
        assertEquals(2, HostArithmetic.binary(ElementOp.SHL, DType.I32, 1, 33));
        assertEquals(0x7FFF_FFFFL, HostArithmetic.binary(ElementOp.SHR, DType.U32, 0xFFFF_FFFFL, 33));
        assertEquals(0, HostArithmetic.cast(DType.F32, DType.I32, Float.floatToRawIntBits(Float.NaN)));
        assertEquals(0xFFFF_FFFFL, HostArithmetic.cast(DType.F32, DType.U32, Float.floatToRawIntBits(5e9f)));
        assertEquals(0, HostArithmetic.cast(DType.F32, DType.U32, Float.floatToRawIntBits(-1f)));
        assertEquals(0xFFFF_FFFFL, HostArithmetic.cast(DType.I32, DType.U32, -1));
        assertEquals(-1L, HostArithmetic.cast(DType.I32, DType.U64, -1));
    }

    @Test
    void promotionFollowsTheDesign() {
        assertEquals(DType.F32, HostArithmetic.promote(DType.F16, DType.F32));
        assertEquals(DType.F16, HostArithmetic.promote(DType.I64, DType.F16));
        assertEquals(DType.I64, HostArithmetic.promote(DType.I32, DType.I64));
        assertEquals(DType.U32, HostArithmetic.promote(DType.BOOL, DType.U32));
    }

    @Test
    void exactComparisonSeesOneBitAndSignedZeroButNotNaNPayloads() {
        Values e = Values.ofFloats(new float[] {1f, 0f, Float.NaN});
        assertTrue(new Expected.Exact(e).compare(Values.ofFloats(new float[] {1f, 0f, Float.intBitsToFloat(0x7FC0_0001)}))
                .isPassed());
        Outcome oneBit = new Expected.Exact(e).compare(Values.ofFloats(new float[] {Math.nextUp(1f), 0f, Float.NaN}));
        assertTrue(oneBit.isFailed());
        assertTrue(oneBit.detail().contains("0x3f800001"), oneBit.detail());
        assertTrue(new Expected.Exact(e).compare(Values.ofFloats(new float[] {1f, -0f, Float.NaN})).isFailed());
        assertTrue(new Expected.Exact(e).compare(Values.ofFloats(new float[] {1f, 0f, Float.NaN}, 1, 3)).isFailed());
        assertTrue(new Expected.Exact(e).compare(Values.ofDoubles(new double[] {1, 0, Double.NaN})).isFailed());
    }

    @Test
    void ulpAndBoundComparisonsHaveTheirEdges() {
        Expected one = new Expected.Ulps(DType.F32, new long[] {1}, new double[] {1.0}, 1);
        assertTrue(one.compare(Values.ofFloats(new float[] {Math.nextUp(1f)})).isPassed());
        assertTrue(one.compare(Values.ofFloats(new float[] {Math.nextUp(Math.nextUp(1f))})).isFailed());
        assertTrue(one.compare(Values.ofFloats(new float[] {Float.NaN})).isFailed());
        Expected bounded = new Expected.Bounded(DType.F32, new long[] {1}, new double[] {10}, new double[] {0.5});
        assertTrue(bounded.compare(Values.ofFloats(new float[] {10.5f})).isPassed());
        assertTrue(bounded.compare(Values.ofFloats(new float[] {10.75f})).isFailed());
    }
}
