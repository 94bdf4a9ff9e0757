package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Numbers", the edge-semantics table, row by row through the Tensor API, plus
 * unsigned wrap-around and comparison. Expected values are written out by hand (with where they
 * come from) or computed with Java's own integer and float arithmetic, never by Weft.
 */
class EdgeSemanticsTest {
    private static final float NAN = Float.NaN;

    /** Exact 64-bit values of an I64/U64 tensor: the high and low 32-bit words read as I32 and joined. */
    private static long[] longs(Tensor t) {
        int[] lo = t.toIntArray(); // integer to I32 keeps the low 32 bits
        int[] hi = t.shiftRight(32).toIntArray();
        long[] out = new long[lo.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((long) hi[i] << 32) | (lo[i] & 0xFFFF_FFFFL);
        }
        return out;
    }

    private static Tensor u32(long... values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = (int) values[i]; // the low 32 bits; I32 -> U32 keeps them
        }
        return Tensor.of(bits).to(DType.U32);
    }

    /** U32 values read exactly (a U32 fits a double). */
    private static long[] u32Values(Tensor t) {
        double[] d = t.toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    private static Tensor i64(double... values) {
        return Tensor.of(values).to(DType.I64); // exact for |v| <= 2^53
    }

    // ---------------------------------------------------------------- division and remainder by zero

    @Test
    void i32DivisionByZeroGivesZero() {
        Tensor x = Tensor.of(new int[] {7, -7, 0, Integer.MIN_VALUE, Integer.MAX_VALUE});
        Tensor zero = Tensor.of(new int[] {0, 0, 0, 0, 0});
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, x.div(zero).toIntArray());
    }

    @Test
    void i32DivisionByScalarZeroGivesZero() {
        Tensor x = Tensor.of(new int[] {7, -7, 0});
        assertArrayEquals(new int[] {0, 0, 0}, x.div(0).toIntArray());
    }

    @Test
    void i32RemainderByZeroGivesZero() {
        Tensor x = Tensor.of(new int[] {7, -7, 0, Integer.MIN_VALUE});
        Tensor zero = Tensor.of(new int[] {0, 0, 0, 0});
        assertArrayEquals(new int[] {0, 0, 0, 0}, x.rem(zero).toIntArray());
    }

    @Test
    void i32DivisionTruncatesAndRemainderTakesTheDividendsSign() {
        Tensor x = Tensor.of(new int[] {7, -7, 7, -7});
        Tensor y = Tensor.of(new int[] {2, 2, -2, -2});
        // Java: 7/2=3, -7/2=-3, 7/-2=-3, -7/-2=3; 7%2=1, -7%2=-1, 7%-2=1, -7%-2=-1
        assertArrayEquals(new int[] {3, -3, -3, 3}, x.div(y).toIntArray());
        assertArrayEquals(new int[] {1, -1, 1, -1}, x.rem(y).toIntArray());
    }

    @Test
    void i64DivisionByZeroGivesZero() {
        Tensor x = i64(7, -7, 0, 0x1p40);
        Tensor zero = i64(0, 0, 0, 0);
        assertArrayEquals(new long[] {0, 0, 0, 0}, longs(x.div(zero)));
    }

    @Test
    void i64RemainderByZeroGivesZero() {
        Tensor x = i64(7, -7, 0, 0x1p40);
        Tensor zero = i64(0, 0, 0, 0);
        assertArrayEquals(new long[] {0, 0, 0, 0}, longs(x.rem(zero)));
    }

    @Test
    void u32DivisionByZeroGivesZero() {
        Tensor x = u32(7, 0xFFFF_FFFFL, 0);
        assertArrayEquals(new long[] {0, 0, 0}, u32Values(x.div(u32(0, 0, 0))));
    }

    @Test
    void u32RemainderByZeroGivesZero() {
        Tensor x = u32(7, 0xFFFF_FFFFL, 0);
        assertArrayEquals(new long[] {0, 0, 0}, u32Values(x.rem(u32(0, 0, 0))));
    }

    // ---------------------------------------------------------------- shifts

    @Test
    void i32ShiftLeftBy33EqualsShiftLeftBy1() {
        Tensor x = Tensor.of(new int[] {1, 3, -1, 0x4000_0001});
        // count masked to 33 & 31 = 1: 1<<1=2, 3<<1=6, -1<<1=-2, 0x40000001<<1=0x80000002
        int[] expected = {2, 6, -2, 0x8000_0002};
        assertArrayEquals(expected, x.shiftLeft(33).toIntArray());
        assertArrayEquals(expected, x.shiftLeft(1).toIntArray());
    }

    @Test
    void i32ShiftCountsFromATensorAreMaskedTo31() {
        Tensor one = Tensor.of(new int[] {1, 1, 1, 1, 1});
        Tensor count = Tensor.of(new int[] {0, 31, 32, 33, 64});
        // counts & 31 = 0, 31, 0, 1, 0
        assertArrayEquals(new int[] {1, Integer.MIN_VALUE, 1, 2, 1}, one.shiftLeft(count).toIntArray());
    }

    @Test
    void i64ShiftLeftBy65EqualsShiftLeftBy1() {
        Tensor x = i64(1, 3, 0x1p40, -1);
        // count masked to 65 & 63 = 1
        long[] expected = {2, 6, 1L << 41, -2};
        assertArrayEquals(expected, longs(x.shiftLeft(65)));
        assertArrayEquals(expected, longs(x.shiftLeft(1)));
    }

    @Test
    void u32ShiftRightIsLogical() {
        Tensor x = u32(0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFFL);
        Tensor count = u32(4, 31, 33); // 33 is masked to 1
        assertArrayEquals(new long[] {0x0800_0000L, 1, 0x7FFF_FFFFL}, u32Values(x.shiftRight(count)));
    }

    @Test
    void i32ShiftRightIsArithmetic() {
        Tensor x = Tensor.of(new int[] {Integer.MIN_VALUE, -1, -8, 8});
        Tensor count = Tensor.of(new int[] {4, 31, 33, 33}); // 33 is masked to 1
        // 0x80000000 >> 4 = 0xF8000000; -1 >> 31 = -1; -8 >> 1 = -4; 8 >> 1 = 4
        assertArrayEquals(new int[] {0xF800_0000, -1, -4, 4}, x.shiftRight(count).toIntArray());
    }

    @Test
    void u64ShiftRightIsLogical() {
        Tensor allOnes = Tensor.of(new int[] {-1}).to(DType.U64); // 2^64 - 1
        // (2^64 - 1) >>> 60 = 15; a count of 64 + 60 is masked to 60
        assertArrayEquals(new long[] {15}, longs(allOnes.shiftRight(60)));
        assertArrayEquals(new long[] {15}, longs(allOnes.shiftRight(124)));
    }

    // ---------------------------------------------------------------- float to integer

    @Test
    void floatToI32OfNaNGivesZero() {
        assertArrayEquals(new int[] {0, 0}, Tensor.of(new float[] {NAN, -NAN}).to(DType.I32).toIntArray());
    }

    @Test
    void floatToI32OutOfRangeSaturates() {
        Tensor x = Tensor.of(new float[] {3e9f, -3e9f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2147483520f, -2.7f});
        // 2147483520 = 2^31 - 128 is the largest float below 2^31, in range; -2.7 truncates to -2
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
                2147483520, -2}, x.to(DType.I32).toIntArray());
    }

    @Test
    void f64ToI32OutOfRangeSaturates() {
        Tensor x = Tensor.of(new double[] {2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0, Double.NaN});
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, 0},
                x.to(DType.I32).toIntArray());
    }

    @Test
    void floatToI64OfNaNGivesZeroAndOutOfRangeSaturates() {
        Tensor x = Tensor.of(new float[] {NAN, 1e20f, -1e20f, Float.NEGATIVE_INFINITY, 0x1p62f, -1.5f});
        assertArrayEquals(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 1L << 62, -1},
                longs(x.to(DType.I64)));
    }

    @Test
    void floatToU32SaturatesAndNegativesGiveZero() {
        Tensor x = Tensor.of(new float[] {NAN, -1f, -0.5f, -1e30f, 5e9f, Float.POSITIVE_INFINITY, 4294967040f, 3.9f});
        // 4294967040 = 2^32 - 256, the largest float below 2^32, is in range; 3.9 truncates to 3
        assertArrayEquals(new long[] {0, 0, 0, 0, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 4294967040L, 3},
                u32Values(x.to(DType.U32)));
    }

    @Test
    void f64ToU32SaturatesAtTheTopOfTheRange() {
        Tensor x = Tensor.of(new double[] {4294967294.5, 4294967295.0, 4294967295.9, 4294967296.0});
        assertArrayEquals(new long[] {4294967294L, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL},
                u32Values(x.to(DType.U32)));
    }

    // ---------------------------------------------------------------- round, min, max

    @Test
    void roundIsHalfToEven() {
        Tensor x = Tensor.of(new float[] {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.5f, 0.49999997f, 2.5000002f});
        // ties go to the even neighbour; -0.5 keeps its sign (-0); the last two are not ties
        assertArrayEquals(new float[] {0f, 2f, 2f, -0f, -2f, -2f, 4f, 0f, 3f}, x.round().toFloatArray());
    }

    @Test
    void roundOfF64IsHalfToEven() {
        Tensor x = Tensor.of(new double[] {0.5, 1.5, 2.5, -0.5, -1.5, 4503599627370495.5});
        // 2^52 - 0.5 is a tie between 2^52 - 1 (odd) and 2^52 (even)
        assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, 4503599627370496.0}, x.round().toDoubleArray());
    }

    @Test
    void minWithNaNGivesNaN() {
        Tensor a = Tensor.of(new float[] {NAN, 1f, NAN});
        Tensor b = Tensor.of(new float[] {1f, NAN, NAN});
        assertArrayEquals(new float[] {NAN, NAN, NAN}, a.min(b).toFloatArray());
    }

    @Test
    void maxWithNaNGivesNaN() {
        Tensor a = Tensor.of(new float[] {NAN, 1f, NAN});
        Tensor b = Tensor.of(new float[] {1f, NAN, NAN});
        assertArrayEquals(new float[] {NAN, NAN, NAN}, a.max(b).toFloatArray());
    }

    @Test
    void maxWithScalarNaNGivesNaN() {
        Tensor a = Tensor.of(new float[] {-1f, 0f, 5f});
        assertArrayEquals(new float[] {NAN, NAN, NAN}, a.max(Double.NaN).toFloatArray());
    }

    @Test
    void clipOfNaNStaysNaN() {
        // clip is max(lo) then min(hi): NaN passes both
        assertArrayEquals(new float[] {NAN, 0f, 1f}, Tensor.of(new float[] {NAN, -3f, 3f}).clip(0, 1).toFloatArray());
    }

    // ---------------------------------------------------------------- BOOL in memory

    @Test
    void boolTakesOneBytePerElementInMemory() {
        Device device = Device.defaultDevice();
        Tensor mask = Tensor.arange(DType.I32, 10).gt(4); // lazy: nothing is allocated yet
        assertEquals(DType.BOOL, mask.dtype());
        long before = device.memory().bytesInUse(); // memory() first releases what earlier tests left unreachable
        mask.eval();
        assertEquals(10, device.memory().bytesInUse() - before, "a [10] BOOL tensor holds 10 bytes");
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, mask.toIntArray());
    }

    @Test
    void boolFromNonZeroIntegersIsOne() {
        Tensor b = Tensor.of(new int[] {0, 1, -1, 256, Integer.MIN_VALUE}).to(DType.BOOL);
        // 256 and MIN_VALUE have a zero low byte: a one-byte BOOL must still hold 1
        assertArrayEquals(new int[] {0, 1, 1, 1, 1}, b.eval().toIntArray());
    }

    // ---------------------------------------------------------------- gather out of range

    @Test
    void gatherWithIndexOutOfRangeGivesZero() {
        Tensor source = Tensor.of(new float[] {10, 20, 30, 40, 50});
        Tensor index = Tensor.of(new int[] {-1, 0, 4, 5, 100, Integer.MIN_VALUE, Integer.MAX_VALUE});
        assertArrayEquals(new float[] {0, 10, 50, 0, 0, 0, 0}, source.gather(index).toFloatArray());
    }

    @Test
    void gatherWithU32IndexAbove2To31GivesZero() {
        Tensor source = Tensor.of(new float[] {10, 20, 30});
        Tensor index = u32(0xFFFF_FFFFL, 0x8000_0000L, 1);
        // 2^32-1 and 2^31 are out of range (as I32 bits they would be negative, which must not matter)
        assertArrayEquals(new float[] {0, 0, 20}, source.gather(index).toFloatArray());
    }

    @Test
    void gatherWithI64IndexBeyond32BitsGivesZero() {
        Tensor source = Tensor.of(new float[] {10, 20, 30});
        Tensor index = i64(0x1p32 + 1, 0x1p32, -0x1p32 + 2);
        // 2^32 + 1, 2^32 and -2^32 + 2 are all outside 0..2; their low 32 bits (1, 0, 2) are not the index
        assertArrayEquals(new float[] {0, 0, 0}, source.gather(index).toFloatArray());
    }

    // ---------------------------------------------------------------- unsigned arithmetic

    @Test
    void u32AdditionWraps() {
        Tensor a = u32(0xFFFF_FFFFL, 0xFFFF_FFFEL);
        Tensor b = u32(1, 3);
        // (2^32 - 1) + 1 = 2^32 -> 0; (2^32 - 2) + 3 -> 1
        assertArrayEquals(new long[] {0, 1}, u32Values(a.add(b)));
    }

    @Test
    void u32SubtractionWraps() {
        assertArrayEquals(new long[] {0xFFFF_FFFFL, 0xFFFF_FFF6L}, u32Values(u32(0, 0).sub(u32(1, 10))));
    }

    @Test
    void u32MultiplicationWraps() {
        // 2^16 * 2^16 = 2^32 -> 0; (2^32 - 1) * (2^32 - 1) = 2^64 - 2^33 + 1 -> 1
        assertArrayEquals(new long[] {0, 1},
                u32Values(u32(0x1_0000L, 0xFFFF_FFFFL).mul(u32(0x1_0000L, 0xFFFF_FFFFL))));
    }

    @Test
    void u32ComparesUnsigned() {
        Tensor a = u32(0xFFFF_FFFFL, 0x8000_0000L, 1);
        Tensor b = u32(1, 0x7FFF_FFFFL, 0xFFFF_FFFFL);
        assertArrayEquals(new int[] {1, 1, 0}, a.gt(b).toIntArray());
        assertArrayEquals(new int[] {0, 0, 1}, a.lt(b).toIntArray());
    }

    @Test
    void u32MinAndMaxCompareUnsigned() {
        Tensor a = u32(0xFFFF_FFFFL, 0x8000_0000L);
        Tensor b = u32(1, 0x7FFF_FFFFL);
        assertArrayEquals(new long[] {1, 0x7FFF_FFFFL}, u32Values(a.min(b)));
        assertArrayEquals(new long[] {0xFFFF_FFFFL, 0x8000_0000L}, u32Values(a.max(b)));
    }

    @Test
    void u32DivisionAndRemainderAreUnsigned() {
        Tensor a = u32(0xFFFF_FFFFL, 0xFFFF_FFFFL);
        Tensor b = u32(2, 10);
        // 4294967295 / 2 = 2147483647; 4294967295 / 10 = 429496729 rem 5
        assertArrayEquals(new long[] {2147483647L, 429496729L}, u32Values(a.div(b)));
        assertArrayEquals(new long[] {1, 5}, u32Values(a.rem(b)));
    }

    @Test
    void u64SubtractionWraps() {
        Tensor zero = Tensor.of(new int[] {0, 5}).to(DType.U64);
        Tensor one = Tensor.of(new int[] {1, 7}).to(DType.U64);
        // 0 - 1 = 2^64 - 1 (all bits set, -1 as a Java long); 5 - 7 = 2^64 - 2
        assertArrayEquals(new long[] {-1L, -2L}, longs(zero.sub(one)));
    }

    @Test
    void u64AdditionAndMultiplicationWrap() {
        Tensor top = Tensor.of(new int[] {1}).to(DType.U64).shiftLeft(63); // 2^63
        assertArrayEquals(new long[] {Long.MIN_VALUE}, longs(top), "2^63 is the bit pattern of Long.MIN_VALUE");
        assertArrayEquals(new long[] {0}, longs(top.add(top)), "2^63 + 2^63 = 2^64 wraps to 0");
        assertArrayEquals(new long[] {0}, longs(top.mul(2)), "2^63 * 2 wraps to 0");
    }

    @Test
    void u64ComparesUnsigned() {
        Tensor a = Tensor.of(new int[] {-1, 1}).to(DType.U64); // 2^64 - 1 and 1
        Tensor b = Tensor.of(new int[] {1, -1}).to(DType.U64);
        assertArrayEquals(new int[] {1, 0}, a.gt(b).toIntArray());
        assertArrayEquals(new int[] {0, 1}, a.lt(b).toIntArray());
    }

    @Test
    void u64DivisionIsUnsigned() {
        Tensor max = Tensor.of(new int[] {-1}).to(DType.U64); // 2^64 - 1
        // (2^64 - 1) / 2 = 2^63 - 1
        assertArrayEquals(new long[] {Long.MAX_VALUE}, longs(max.div(Tensor.of(new int[] {2}).to(DType.U64))));
    }

    @Test
    void i32AdditionWraps() {
        Tensor x = Tensor.of(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE});
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, x.add(Tensor.of(new int[] {1, -1})).toIntArray());
    }

    @Test
    void u32ToF32OfAllOnesIsTwoTo32() {
        // 4294967295 is not a float; the nearest (ties aside) is 2^32 = 4294967296
        assertArrayEquals(new float[] {4294967296f, 16777216f}, u32(0xFFFF_FFFFL, 16777217).to(DType.F32).toFloatArray());
    }

    @Test
    void u64ToF64OfAllOnesIsTwoTo64() {
        Tensor max = Tensor.of(new int[] {-1}).to(DType.U64);
        assertArrayEquals(new double[] {0x1p64}, max.to(DType.F64).toDoubleArray());
    }

    @Test
    void u32ToU64ZeroExtends() {
        assertArrayEquals(new long[] {0xFFFF_FFFFL}, longs(u32(0xFFFF_FFFFL).to(DType.U64)));
    }
}
