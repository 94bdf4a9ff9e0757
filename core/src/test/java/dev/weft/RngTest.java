package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * reference-semantics.md §6: Philox4x32-7 streams, the pool rule (the last word of a block, one
 * counter step per draw), the conversions to floats, Box–Muller, Lemire's integers. Expected
 * values come from the document's anchors, Random123's published answers and the scalar
 * implementation below (64-bit Java arithmetic, written independently of the traced one).
 */
class RngTest {
    private static final long MASK = 0xFFFF_FFFFL;

    // ------------------------------------------------------------ scalar reference

    /** Philox4x32 with {@code rounds} rounds, per §6.2, in long arithmetic. */
    static long[] philox(long c0, long c1, long c2, long c3, long k0, long k1, int rounds) {
        long[] c = {c0, c1, c2, c3};
        for (int r = 0; r < rounds; r++) {
            long p0 = 0xD2511F53L * c[0]; // < 2^64 as unsigned; shifts below are logical
            long p1 = 0xCD9E8D57L * c[2];
            c = new long[] {((p1 >>> 32) ^ c[1] ^ k0) & MASK, p1 & MASK, ((p0 >>> 32) ^ c[3] ^ k1) & MASK, p0 & MASK};
            k0 = (k0 + 0x9E3779B9L) & MASK;
            k1 = (k1 + 0xBB67AE85L) & MASK;
        }
        return c;
    }

    /** The block of lane {@code lane} of the draw with counter {@code counter} and seed {@code seed}. */
    static long[] lane(long seed, long counter, long lane) {
        return philox(counter, lane, 0, 0, seed >>> 32, seed & MASK, 7);
    }

    static float unit32(long u) {
        return Float.intBitsToFloat((int) ((u >>> 9) | 0x3F80_0000L)) - 1f;
    }

    static double unit64(long lo, long hi) {
        long bits = (hi << 32) | lo;
        return Double.longBitsToDouble((bits >>> 12) | 0x3FF0_0000_0000_0000L) - 1.0;
    }

    private static long[] words(Tensor u32) {
        double[] d = u32.toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    // ------------------------------------------------------------ the Philox block

    @Test
    void tenRoundsReproduceRandom123KnownAnswers() {
        long[][] kat = { // philox4x32_10 known-answer vectors: counter, key, expected words
            {0, 0, 0, 0, 0, 0, 0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L},
            {MASK, MASK, MASK, MASK, MASK, MASK, 0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL},
            {0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L, 0xa4093822L, 0x299f31d0L,
                0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L},
        };
        for (long[] v : kat) {
            // opaque inputs, so the block runs in a kernel instead of being folded while tracing
            Tensor[] c = {Tensor.opaque(DType.U32, v[0]), Tensor.opaque(DType.U32, v[1]),
                Tensor.opaque(DType.U32, v[2]), Tensor.opaque(DType.U32, v[3])};
            Tensor[] out = Philox.block(c, Tensor.opaque(DType.U32, v[4]), Tensor.opaque(DType.U32, v[5]), 10);
            for (int w = 0; w < 4; w++) {
                assertEquals(v[6 + w], words(out[w])[0], "word " + w);
            }
            assertArrayEquals(new long[] {v[6], v[7], v[8], v[9]}, philox(v[0], v[1], v[2], v[3], v[4], v[5], 10),
                    "the scalar reference itself");
        }
    }

    @Test
    void sevenRoundBlockMatchesScalarReferenceOnEveryWordOfManyLanes() {
        int n = 1031;
        long k0 = 0xDEADBEEFL;
        long k1 = 0x12345678L;
        Tensor lane = Tensor.arange(DType.U32, n);
        // all four counter words vary per lane, so both products and both xors are exercised
        Tensor c0 = lane.mul(2654435761L).add(Tensor.opaque(DType.U32, 0xFFFF_FFF0L));
        Tensor c1 = lane;
        Tensor c2 = lane.mul(0x9E3779B1L).xor(lane.value.scalarLike("test", 0xA5A5A5A5L));
        Tensor c3 = lane.mul(lane);
        Tensor[] out = Philox.block(new Tensor[] {c0, c1, c2, c3}, Tensor.opaque(DType.U32, k0),
                Tensor.opaque(DType.U32, k1), Philox.ROUNDS);
        long[][] got = {words(out[0]), words(out[1]), words(out[2]), words(out[3])};
        for (long i = 0; i < n; i++) {
            long[] e = philox((i * 2654435761L + 0xFFFF_FFF0L) & MASK, i, ((i * 0x9E3779B1L) & MASK) ^ 0xA5A5A5A5L,
                    (i * i) & MASK, k0, k1, 7);
            for (int w = 0; w < 4; w++) {
                assertEquals(e[w], got[w][(int) i], "lane " + i + " word " + w);
            }
        }
    }

    // ------------------------------------------------------------ random()

    @Test
    void firstTwoDrawsOfSeedZeroMatchTheReferenceAnchors() {
        Rng rng = Rng.seed(0);
        assertArrayEquals(new float[] {0.31034911f, 0.57552576f, 0.78145897f, 0.37085009f},
                rng.random(DType.F32, 4).toFloatArray(), 1e-8f);
        assertArrayEquals(new float[] {0.61318469f, 0.50570691f, 0.02552807f, 0.03097570f},
                rng.random(DType.F32, 4).toFloatArray(), 1e-8f);
    }

    @Test
    void eleventhDrawStartsWithTheValuePinnedByTheReferenceTests() {
        Rng rng = Rng.seed(0);
        for (int i = 0; i < 10; i++) {
            rng.random(DType.F32, 3);
        }
        assertEquals("Rng[seed=0, counter=10]", rng.toString());
        assertEquals(0.467727, rng.random(DType.F32, 1).toFloatArray()[0], 1e-6);
    }

    @Test
    void f32DrawsMatchScalarReferenceBitForBit() {
        long seed = 0x1234_5678_9ABC_DEF0L;
        Rng rng = Rng.seed(seed);
        for (long call = 0; call < 3; call++) {
            float[] v = rng.random(DType.F32, 1031).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(unit32(lane(seed, call, i)[3]), v[i], 0f, "call " + call + " lane " + i);
            }
        }
    }

    @Test
    void tensorLanesFollowTheRowMajorFlatOrder() {
        Rng rng = Rng.seed(7);
        long[][] shapes = {{2, 500}, {3, 4, 5}, {1100, 3}, {}};
        for (int k = 0; k < shapes.length; k++) {
            Tensor t = rng.random(DType.F32, shapes[k]);
            assertArrayEquals(shapes[k], t.shape());
            float[] v = t.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(unit32(lane(7, k, i)[3]), v[i], 0f, "shape " + k + " element " + i);
            }
        }
    }

    @Test
    void f16IsTheF32ValueRoundedToHalf() {
        float[] v = Rng.seed(3).random(DType.F16, 1000).toFloatArray();
        boolean sawRounding = false;
        for (int i = 0; i < v.length; i++) {
            float f = unit32(lane(3, 0, i)[3]);
            float h = Float.float16ToFloat(Float.floatToFloat16(f));
            assertEquals(h, v[i], 0f, "lane " + i);
            sawRounding |= h != f;
        }
        assertTrue(sawRounding, "the test must cover values that F16 rounds");
    }

    @Test
    void f64TakesTheLastTwoWordsAsOneFiftyTwoBitFraction() {
        double[] v = Rng.seed(11).random(DType.F64, 1000).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            long[] w = lane(11, 0, i);
            assertEquals(unit64(w[2], w[3]), v[i], 0.0, "lane " + i);
        }
    }

    @Test
    void everyDrawAdvancesTheCounterByOne() {
        Rng rng = Rng.seed(5);
        rng.random(DType.F32, 10);
        rng.uniform(DType.F64, -1, 1, new long[] {3});
        rng.normal(DType.F16, 2, 2);
        rng.integers(DType.I32, 0, 16, new long[] {100});
        assertEquals("Rng[seed=5, counter=4]", rng.toString());
    }

    @Test
    void emptyShapesGiveEmptyTensorsAndStillAdvanceTheCounter() {
        Rng rng = Rng.seed(13);
        assertArrayEquals(new long[] {0, 3}, rng.random(DType.F32, 0, 3).shape());
        assertEquals(0, rng.normal(DType.F64, 0).toDoubleArray().length);
        assertEquals(0, rng.integers(DType.I32, 0, 6, new long[] {0}).toIntArray().length);
        assertEquals("Rng[seed=13, counter=3]", rng.toString());
    }

    @Test
    void toStringShowsTheSeedUnsigned() {
        assertEquals("Rng[seed=18446744073709551615, counter=0]", Rng.seed(-1).toString());
    }

    @Test
    void copyHasItsOwnCounter() {
        Rng a = Rng.seed(9);
        a.random(DType.F32, 4);
        Rng b = a.copy();
        float[] fromA = a.random(DType.F32, 8).toFloatArray();
        float[] fromB = b.random(DType.F32, 8).toFloatArray();
        assertArrayEquals(fromA, fromB, "a copy continues the same stream");
        a.random(DType.F32, 8);
        assertEquals("Rng[seed=9, counter=3]", a.toString());
        assertEquals("Rng[seed=9, counter=2]", b.toString());
    }

    @Test
    void anotherDrawOrAnotherSeedCompilesNoNewKernel() {
        Rng rng = Rng.seed(1);
        float[] first = rng.random(DType.F32, 2, 300).mul(3).toFloatArray();
        Weft.stats().reset();
        float[] second = rng.random(DType.F32, 2, 300).mul(3).toFloatArray();
        float[] otherSeed = Rng.seed(0xABCDEF_0123L).random(DType.F32, 2, 300).mul(3).toFloatArray();
        assertEquals(0, Weft.stats().kernelsCompiled(), "counter and key are opaque parameters");
        assertEquals(2, Weft.stats().kernelsLaunched());
        assertNotEquals(first[0], second[0]);
        assertEquals(unit32(lane(0xABCDEF_0123L, 0, 1)[3]) * 3f, otherSeed[1], 0f);
    }

    @Test
    void aDrawFusesIntoTheKernelThatUsesIt() {
        Rng rng = Rng.seed(2);
        Tensor x = rng.random(DType.F32, 4096);
        long before = Weft.stats().kernelsLaunched();
        double sum = x.sum().item();
        assertEquals(1, Weft.stats().kernelsLaunched() - before, "the draw and the reduction are one kernel");
        assertEquals(0.5, sum / 4096, 0.02);
    }

    // ------------------------------------------------------------ uniform(), normal()

    @Test
    void uniformIsFmaOfRandomWithTheIntervalRoundedToTheDtype() {
        float[] v = Rng.seed(4).uniform(DType.F32, -3.0, 0.1, new long[] {2, 600}).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            float expected = Math.fma(unit32(lane(4, 0, i)[3]), (float) (0.1 - -3.0), -3f);
            assertEquals(expected, v[i], 0f, "element " + i);
        }
    }

    @Test
    void normalF32IsTheLastBoxMullerOutput() {
        float[] v = Rng.seed(6).normal(DType.F32, 1031).toFloatArray();
        float twoPi = (float) (2 * Math.PI);
        double sqrt2Ln2 = (float) Math.sqrt(2 * (float) Math.log(2));
        for (int i = 0; i < v.length; i++) {
            long[] w = lane(6, 0, i);
            float y = unit32(w[1]);
            float z = unit32(w[3]);
            double expected = Math.sin(y * twoPi) * Math.sqrt(-Math.log(1 - z) / Math.log(2)) * sqrt2Ln2;
            assertEquals(expected, v[i], 2e-6 * Math.max(1, Math.abs(expected)), "lane " + i);
        }
    }

    @Test
    void normalF64UsesBothSixtyFourBitUniforms() {
        double[] v = Rng.seed(8).normal(DType.F64, 500).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            long[] w = lane(8, 0, i);
            double a = unit64(w[0], w[1]);
            double b = unit64(w[2], w[3]);
            double expected = Math.sin(2 * Math.PI * b) * Math.sqrt(-Math.log(1 - a) / Math.log(2))
                    * Math.sqrt(2 * Math.log(2));
            assertEquals(expected, v[i], 1e-12 * Math.max(1, Math.abs(expected)), "lane " + i);
        }
    }

    @Test
    void normalHasZeroMeanAndUnitVariance() {
        Tensor x = Rng.seed(10).normal(DType.F32, 200_000);
        double mean = x.mean().item();
        double var = x.sub(mean).squaredNorm(0).item() / 200_000;
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.02);
    }

    @Test
    void normalF16IsTheF32ValueRounded() {
        float[] h = Rng.seed(12).normal(DType.F16, 300).toFloatArray();
        float[] f = Rng.seed(12).normal(DType.F32, 300).toFloatArray();
        for (int i = 0; i < h.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(f[i])), h[i], 0f, "lane " + i);
        }
    }

    // ------------------------------------------------------------ integers()

    /** Lemire with the reference's retry bookkeeping, per lane; returns values and the final counter. */
    private static long[] lemireReference(long seed, long counter, long n, long low, long high, long[] finalCounter) {
        long bound = high - low;
        long threshold = ((1L << 32) - bound) % bound;
        long base = counter + 1;
        long maxRetries = 0;
        long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            long m = lane(seed, counter, i)[3] * bound;
            long retries = 0;
            while ((m & MASK) < threshold) {
                m = lane(seed, base + retries, i)[3] * bound;
                retries++;
            }
            maxRetries = Math.max(maxRetries, retries);
            out[i] = low + (m >>> 32);
        }
        finalCounter[0] = base + maxRetries;
        return out;
    }

    @Test
    void integersWithFrequentRejectionsMatchTheReferenceRetryRule() {
        // bound 2^31 + 1 rejects about half of all draws: many lanes retry several times
        long low = -(1L << 30);
        long high = (1L << 30) + 1;
        Rng rng = Rng.seed(21);
        rng.random(DType.F32, 1);
        int[] got = rng.integers(DType.I32, low, high, new long[] {40, 25}).toIntArray();
        long[] counter = new long[1];
        long[] expected = lemireReference(21, 1, 1000, low, high, counter);
        assertTrue(counter[0] > 5, "the case must exercise several retry rounds, got counter " + counter[0]);
        for (int i = 0; i < 1000; i++) {
            assertEquals(expected[i], got[i], "element " + i);
        }
        assertEquals("Rng[seed=21, counter=" + counter[0] + "]", rng.toString());
    }

    @Test
    void integersU32CoverTheUpperHalfOfTheRange() {
        long low = 3_000_000_000L;
        long high = 4_000_000_001L;
        Rng rng = Rng.seed(22);
        double[] got = rng.integers(DType.U32, low, high, new long[] {777}).toDoubleArray();
        long[] counter = new long[1];
        long[] expected = lemireReference(22, 0, 777, low, high, counter);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], (long) got[i], "element " + i);
        }
        assertEquals("Rng[seed=22, counter=" + counter[0] + "]", rng.toString());
    }

    @Test
    void integersOverAPowerOfTwoRangeAreLazyAndNeverRetry() {
        Rng rng = Rng.seed(23);
        long before = Weft.stats().kernelsLaunched();
        Tensor t = rng.integers(DType.I32, -8, 8, new long[] {1000});
        assertEquals(before, Weft.stats().kernelsLaunched(), "nothing runs until the values are read");
        int[] got = t.toIntArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(-8 + ((lane(23, 0, i)[3] * 16) >>> 32), got[i], "element " + i);
        }
        assertEquals("Rng[seed=23, counter=1]", rng.toString());
    }

    @Test
    void integersOverTheWholeU32RangeAreTheRawWord() {
        double[] got = Rng.seed(24).integers(DType.U32, 0, 1L << 32, new long[] {50}).toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(lane(24, 0, i)[3], (long) got[i]);
        }
    }

    @Test
    void integersOverTheWholeI32RangeReinterpretTheWord() {
        int[] got = Rng.seed(25).integers(DType.I32, Integer.MIN_VALUE, 1L << 31, new long[] {50}).toIntArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals((int) (lane(25, 0, i)[3] + Integer.MIN_VALUE), got[i]);
        }
    }

    @Test
    void smallIntegerRangeIsUnbiased() {
        int[] got = Rng.seed(26).integers(DType.I32, 0, 6, new long[] {60_000}).toIntArray();
        int[] counts = new int[6];
        for (int g : got) {
            counts[g]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400, "face counts " + java.util.Arrays.toString(counts));
        }
    }

    // ------------------------------------------------------------ bad input

    private static void failsLeavingStateAlone(Rng rng, Executable call, String... fragments) {
        String state = rng.toString();
        long launched = Weft.stats().kernelsLaunched();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(launched, Weft.stats().kernelsLaunched(), "nothing may run before the error");
        assertEquals(state, rng.toString(), "the counter must not move");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void randomRejectsIntegerDtypesNamingTheFix() {
        Rng rng = Rng.seed(0);
        failsLeavingStateAlone(rng, () -> rng.random(DType.I32, 4), "Rng.random()", "I32", "F32", "integers(");
        failsLeavingStateAlone(rng, () -> rng.normal(DType.U32, 4), "Rng.normal()", "U32");
        failsLeavingStateAlone(rng, () -> rng.uniform(DType.BOOL, 0, 1, new long[] {4}), "Rng.uniform()", "BOOL");
        assertEquals(0.31034911f, rng.random(DType.F32, 1).toFloatArray()[0], 1e-8f, "still the first draw");
    }

    @Test
    void badShapesAreRejected() {
        Rng rng = Rng.seed(0);
        failsLeavingStateAlone(rng, () -> rng.random(DType.F32, 3, -1), "Rng.random()", "negative", "[3, -1]");
        failsLeavingStateAlone(rng, () -> rng.normal(DType.F32, 1L << 20, 1L << 20), "Rng.normal()", "2^31");
    }

    @Test
    void badIntegerRangesAreRejected() {
        Rng rng = Rng.seed(0);
        long[] s = {4};
        failsLeavingStateAlone(rng, () -> rng.integers(DType.I32, 5, 5, s), "Rng.integers()", "low = 5", "high = 5");
        failsLeavingStateAlone(rng, () -> rng.integers(DType.I32, 0, 1L << 32, s), "I32", "2147483648");
        failsLeavingStateAlone(rng, () -> rng.integers(DType.U32, -1, 3, s), "U32", "0 <= low");
        failsLeavingStateAlone(rng, () -> rng.integers(DType.F32, 0, 3, s), "F32", "random()");
        failsLeavingStateAlone(rng, () -> rng.integers(DType.I64, 0, 3, s), "I64", "I32 or U32");
    }

    @Test
    void badUniformBoundsAreRejected() {
        Rng rng = Rng.seed(0);
        long[] s = {4};
        failsLeavingStateAlone(rng, () -> rng.uniform(DType.F32, 1, 1, s), "Rng.uniform()", "low = 1.0");
        failsLeavingStateAlone(rng, () -> rng.uniform(DType.F32, 0, Double.NaN, s), "not finite");
        failsLeavingStateAlone(rng, () -> rng.uniform(DType.F64, -Double.MAX_VALUE, Double.MAX_VALUE, s), "overflows");
    }
}
