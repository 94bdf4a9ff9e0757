package dev.weft.conformance;

/**
 * The host's model of the random number generator, written from reference-semantics.md §6 with
 * Java's 64-bit integer arithmetic and nothing from the core: the Philox4x32 block (§6.2), the
 * conversions of its words to floats, and the generator's sampling rule (§6.3: one block per lane
 * with counter {@code (generator counter, lane, 0, 0)}, values taken from the end of the block,
 * one counter step per draw, Lemire's rejection with retries at {@code base + i}).
 *
 * <p>Words are {@code long}s holding an unsigned 32-bit value. A {@link Stream} is the model of a
 * generator's state (a seed and a counter) and gives, for each draw, the words or uniform values
 * of every lane.
 */
public final class HostPhilox {
    static final long MASK = 0xFFFF_FFFFL;
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final long W0 = 0x9E3779B9L;
    private static final long W1 = 0xBB67AE85L;
    /** Rounds of the reference system's generator (§6.2 and "Decisions"). */
    static final int ROUNDS = 7;

    private HostPhilox() {}

    /**
     * {@code rounds} rounds of §6.2 on counter {@code c} under key {@code (k0, k1)}: with
     * {@code (hi0, lo0) = M0 * c0} and {@code (hi1, lo1) = M1 * c2} (64-bit products), the new
     * counter is {@code (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)}, then the key is bumped.
     */
    static long[] block(long[] c, long k0, long k1, int rounds) {
        long c0 = c[0];
        long c1 = c[1];
        long c2 = c[2];
        long c3 = c[3];
        for (int r = 0; r < rounds; r++) {
            long p0 = M0 * c0; // both factors < 2^32: the product fits 64 bits as an unsigned value
            long p1 = M1 * c2;
            long n0 = ((p1 >>> 32) ^ c1 ^ k0) & MASK;
            long n2 = ((p0 >>> 32) ^ c3 ^ k1) & MASK;
            c1 = p1 & MASK;
            c3 = p0 & MASK;
            c0 = n0;
            c2 = n2;
            k0 = (k0 + W0) & MASK;
            k1 = (k1 + W1) & MASK;
        }
        return new long[] {c0, c1, c2, c3};
    }

    /**
     * The 7-round block of one lane: key {@code (seed >>> 32, seed & 0xFFFFFFFF)}, counter
     * {@code (counter, lane, 0, 0)}.
     */
    static long[] lane(long seed, long counter, long lane) {
        return block(new long[] {counter & MASK, lane & MASK, 0, 0}, seed >>> 32, seed & MASK, ROUNDS);
    }

    /** [0, 1) with 23 random bits: {@code (u >> 9) | 0x3F800000} as a float, minus 1 (exact). */
    static float unitF32(long u) {
        return Float.intBitsToFloat((int) ((u >>> 9) | 0x3F80_0000L)) - 1f;
    }

    /** [0, 1) with 52 random bits from the 64-bit word {@code (hi << 32) | lo} (exact). */
    static double unitF64(long lo, long hi) {
        long bits = (hi << 32) | lo;
        return Double.longBitsToDouble((bits >>> 12) | 0x3FF0_0000_0000_0000L) - 1.0;
    }

    /**
     * A generator's state on the host: a 64-bit seed and a 32-bit counter. Every draw takes the
     * block of each lane at the current counter and advances the counter by one (the pool of four
     * values is popped once per lane, from the end); {@link #integers} may advance it further.
     */
    static final class Stream {
        private final long seed;
        private long counter;

        Stream(long seed) {
            this.seed = seed;
        }

        long counter() {
            return counter;
        }

        /** The blocks of lanes {@code 0..n-1} at the current counter; then the counter advances. */
        long[][] draw(int n) {
            long[][] out = new long[n][];
            for (int i = 0; i < n; i++) {
                out[i] = lane(seed, counter, i);
            }
            counter = (counter + 1) & MASK;
            return out;
        }

        /** F32 uniforms: element [3] of each lane's block. */
        float[] randomF32(int n) {
            long[][] b = draw(n);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = unitF32(b[i][3]);
            }
            return out;
        }

        /** F16 uniforms as half bits: the F32 value rounded to F16 (can round up to 1.0). */
        long[] randomF16(int n) {
            float[] f = randomF32(n);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = Float.floatToFloat16(f[i]) & 0xFFFFL;
            }
            return out;
        }

        /**
         * F64 uniforms: the block is the pool of two 64-bit words {@code (w1 << 32) | w0} and
         * {@code (w3 << 32) | w2}; the first pop is the last of them.
         */
        double[] randomF64(int n) {
            long[][] b = draw(n);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = unitF64(b[i][2], b[i][3]);
            }
            return out;
        }

        /**
         * The F32 uniforms {@code (y, w)} of each lane that the first normal variate is made of:
         * element [3] of the Box–Muller block {@code (cos 2πx r0, sin 2πx r0, cos 2πy r1, sin 2πy r1)}
         * is {@code sin(2π y) * r1}, with {@code r1} from {@code w}; as {@code [angle, radius]} per lane.
         */
        float[][] normalInputsF32(int n) {
            long[][] b = draw(n);
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = new float[] {unitF32(b[i][1]), unitF32(b[i][3])};
            }
            return out;
        }

        /**
         * The F64 uniforms of the first normal variate, as {@code [angle, radius]} per lane. §6.2
         * says only "float64 produces 2 values analogously"; the reference's {@code
         * next_float64x2_normal} makes {@code (cos 2πb r, sin 2πb r)} from the pair
         * {@code (a, b) = ((w1 << 32) | w0, (w3 << 32) | w2)} with {@code r} from {@code a}, and
         * the first pop is {@code sin(2π b) * r}.
         */
        double[][] normalInputsF64(int n) {
            long[][] b = draw(n);
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) {
                out[i] = new double[] {unitF64(b[i][2], b[i][3]), unitF64(b[i][0], b[i][1])};
            }
            return out;
        }

        /**
         * Integers in {@code [low, high)} by Lemire's method (§6.3): {@code bound = high - low},
         * {@code threshold = 2^32 mod bound}; a lane's word {@code x} (element [3], counter + 1)
         * gives {@code m = x * bound}; while the low 32 bits of {@code m} are below the threshold
         * the lane draws again with counter {@code base + i} on its {@code i}-th retry (from 0),
         * {@code base} being the counter after the first draw; afterwards the counter is
         * {@code base} plus the most retries of any lane. The result is {@code (m >> 32) + low},
         * as the low 32 bits (the caller reads them as I32 or U32). A bound of 2^32 is read as the
         * exact integer (threshold 0, {@code m >> 32 = x}): §6.3's uint32 {@code bound} would be 0.
         */
        long[] integers(long low, long high, int n) {
            long bound = high - low;
            long threshold = ((1L << 32) - bound) % bound;
            long[][] first = draw(n);
            long base = counter;
            long maxRetries = 0;
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long m = first[i][3] * bound; // < 2^64 as an unsigned value
                int retries = 0;
                while ((m & MASK) < threshold) {
                    m = lane(seed, base + retries, i)[3] * bound;
                    retries++;
                }
                maxRetries = Math.max(maxRetries, retries);
                out[i] = ((m >>> 32) + low) & MASK;
            }
            counter = (base + maxRetries) & MASK;
            return out;
        }
    }
}
