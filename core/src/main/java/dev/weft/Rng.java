package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * A counter-based random number generator: Philox4x32 with 7 rounds, drawing the same streams as
 * the reference system's {@code dr.rng(seed)} (reference-semantics.md §6).
 *
 * <p>A draw is lazy: it is a Philox block per element, traced from tensor operations, so it
 * fuses into the kernel that uses it. Element {@code i} of a draw (in row-major order, whatever
 * the shape) is lane {@code i}: the block's counter is {@code (counter, i, 0, 0)} and its key is
 * {@code (seed >>> 32, seed & 0xFFFFFFFF)}. Of the block's four words a draw takes the last one
 * (the reference pops its pool of four from the end and discards the rest), and every draw
 * advances the generator's counter by one. The counter and both key words enter kernels as
 * {@linkplain Tensor#opaque opaque} parameters, so later draws, and other seeds, compile nothing
 * new.
 *
 * {@snippet :
 * Rng rng = Rng.seed(0);
 * Tensor u = rng.random(DType.F32, 4);        // [0.31034911, 0.57552576, 0.78145897, 0.37085009]
 * Tensor v = rng.random(DType.F32, 2, 1024);  // the next draw: counter 1
 * Tensor n = rng.normal(DType.F32, 1024);     // standard normal
 * Tensor k = rng.integers(DType.I32, -5, 5, new long[] {8});
 * }
 *
 * <p>A generator is a small mutable object (a seed and a counter) and is not thread-safe; give
 * each thread its own {@link #copy()} with another seed. Bad arguments throw
 * {@link IllegalArgumentException} before anything is drawn, leaving the counter as it was.
 */
public final class Rng {
    /** ln 2 rounded to double (the reference rounds it to the draw's precision before use). */
    private static final double LN2 = 0.6931471805599453;

    private final long seed;
    /** The counter of the next draw (a U32 value). */
    private long counter;

    private Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    /**
     * A generator with the given seed (read as an unsigned 64-bit value, as the reference's
     * {@code UInt64} seed) and counter 0.
     */
    public static Rng seed(long seed) {
        return new Rng(seed, 0);
    }

    /**
     * Uniform variates in {@code [0, 1)} of the given float dtype and shape: F32 has 23 random
     * bits ({@code (u >>> 9 | 0x3F800000)} as a float, minus 1), F16 is that F32 value rounded to
     * F16 (so it can round up to 1.0, as in the reference), F64 has 52 random bits taken from the
     * last two words of the block ({@code ((w3 << 32 | w2) >>> 12 | 0x3FF0000000000000)} as a
     * double, minus 1: the reference's pool of two 64-bit values, popped from the end).
     *
     * @throws IllegalArgumentException if {@code dtype} is not a float type or the shape is invalid
     */
    public Tensor random(DType dtype, long... shape) {
        String op = "Rng.random()";
        checkFloat(op, dtype);
        long[] s = checkedShape(op, shape);
        Tensor[] w = nextBlock(Shapes.numel(s));
        return inShape(unit(dtype, w), s);
    }

    /**
     * Uniform variates in {@code [low, high)}: {@code fma(random, high - low, low)} in
     * {@code dtype}, with {@code high - low} computed in double precision and both operands
     * passed as opaque parameters (other bounds compile nothing new). Rounding can make an
     * element equal {@code high} when the interval is not exactly representable in
     * {@code dtype}, as in the reference.
     *
     * @throws IllegalArgumentException if {@code dtype} is not a float type, the bounds are not
     *     finite or {@code low >= high}, or the shape is invalid
     */
    public Tensor uniform(DType dtype, double low, double high, long[] shape) {
        String op = "Rng.uniform()";
        checkFloat(op, dtype);
        checkArgument(Double.isFinite(low) && Double.isFinite(high) && Double.isFinite(high - low),
                "%s: bounds low = %s, high = %s are not finite (or their difference overflows); pass finite bounds",
                op, low, high);
        checkArgument(low < high, "%s: low = %s is not below high = %s, so [low, high) is empty; pass low < high",
                op, low, high);
        long[] s = checkedShape(op, shape);
        Tensor[] w = nextBlock(Shapes.numel(s));
        Tensor u = unit(dtype, w);
        return inShape(u.fma(Tensor.opaque(dtype, high - low), Tensor.opaque(dtype, low)), s);
    }

    /**
     * Standard normal variates (Box–Muller, as the reference): in F32, with {@code x, y, z, w}
     * the block's four words as uniform floats, the reference's first output
     * {@code sin(2 pi y) * sqrt(-log2(1 - w)) * sqrt(2 ln 2)}; F16 is that F32 value rounded to
     * F16; F64 takes the two 64-bit uniforms {@code a, b} of {@link #random} and gives
     * {@code sin(2 pi b) * sqrt(-log2(1 - a)) * sqrt(2 ln 2)}. Transcendentals are Weft's, so
     * values agree with the reference to a few ulps, not bit for bit.
     *
     * @throws IllegalArgumentException if {@code dtype} is not a float type or the shape is invalid
     */
    public Tensor normal(DType dtype, long... shape) {
        String op = "Rng.normal()";
        checkFloat(op, dtype);
        long[] s = checkedShape(op, shape);
        Tensor[] w = nextBlock(Shapes.numel(s));
        Tensor v;
        if (dtype == DType.F64) {
            v = boxMuller(unit64(w[0], w[1]), unit64(w[2], w[3]), DType.F64);
        } else {
            v = boxMuller(unit32(w[3]), unit32(w[1]), DType.F32).to(dtype);
        }
        return inShape(v, s);
    }

    /**
     * Uniform integers in {@code [low, high)} of dtype {@link DType#I32} or {@link DType#U32},
     * without bias: Lemire's multiply-shift with rejection, as the reference. A lane's word
     * {@code x} (the block's last) gives {@code m = x * (high - low)}; the lane is accepted when
     * the low 32 bits of {@code m} are at least {@code 2^32 mod (high - low)}, and its value is
     * {@code low + (m >>> 32)}. A rejected lane draws again with counter {@code base + i} on its
     * {@code i}-th retry ({@code base} = the counter after the first draw), and afterwards the
     * generator's counter is {@code base} plus the most retries any lane needed.
     *
     * <p>When {@code high - low} is a power of two nothing can be rejected and the result is lazy
     * like the other draws. Otherwise the retries are an honest loop: the draw is evaluated
     * together with a count of rejected lanes, and each round with rejections evaluates one more
     * kernel (the same one each time: the counter is opaque) that redraws only those lanes. A
     * round rejects a lane with probability below {@code (high - low) / 2^32}, so for ranges far
     * below 2^32 one evaluation is all it takes.
     *
     * @throws IllegalArgumentException if {@code dtype} is not I32 or U32, {@code low >= high},
     *     the range exceeds the dtype, or the shape is invalid
     */
    public Tensor integers(DType dtype, long low, long high, long[] shape) {
        String op = "Rng.integers()";
        Objects.requireNonNull(dtype, op + ": dtype");
        checkArgument(dtype == DType.I32 || dtype == DType.U32, "%s: dtype %s is not supported; integers() draws "
                + "I32 or U32 (for floats use random() or uniform(), and convert other integer types with to())",
                op, dtype);
        checkArgument(low < high, "%s: low = %s is not below high = %s, so [low, high) is empty; pass low < high",
                op, low, high);
        long min = dtype == DType.I32 ? Integer.MIN_VALUE : 0;
        long max = dtype == DType.I32 ? 1L << 31 : 1L << 32;
        checkArgument(low >= min && high <= max, "%s: [%s, %s) is outside the range of %s; pass %s <= low < high "
                + "<= %s", op, low, high, dtype, min, max);
        long[] s = checkedShape(op, shape);
        long n = Shapes.numel(s);
        long bound = high - low;
        long base = (counter + 1) & Philox.MASK;
        Tensor x = nextBlock(n)[3];
        Tensor value = bound == 1L << 32 ? x : lemire(x, bound, n, base); // the whole U32 range: x itself
        Tensor shifted = value.add(Tensor.opaque(DType.U32, low & Philox.MASK)); // wraps: low + value fits dtype
        return inShape(dtype == DType.I32 ? shifted.bitcast(DType.I32) : shifted, s);
    }

    /**
     * Lemire's method for {@code bound < 2^32}: {@code hi(x * bound)} where the low half is at
     * least {@code threshold = 2^32 mod bound}, rejected lanes redrawn at counters
     * {@code base, base + 1, ...} until none is left; sets the counter past the retries.
     */
    private Tensor lemire(Tensor x, long bound, long n, long base) {
        long threshold = ((1L << 32) - bound) % bound;
        Tensor b = Tensor.opaque(DType.U32, bound);
        Tensor value = Philox.mulhi(x, b);
        if (threshold == 0) {
            return value; // bound is a power of two: every lane is accepted
        }
        Tensor t = Tensor.opaque(DType.U32, threshold);
        Tensor rejected = x.mul(b).lt(t);
        for (long retry = 0; ; retry++) {
            Tensor count = rejected.to(DType.I32).sum();
            Weft.eval(value, rejected, count);
            if (count.item() == 0) {
                counter = (base + retry) & Philox.MASK;
                return value;
            }
            Tensor y = block(n, base + retry)[3];
            value = Tensor.where(rejected, Philox.mulhi(y, b), value);
            rejected = Tensor.where(rejected, y.mul(b).lt(t), rejected); // (and() rejects BOOL operands)
        }
    }

    /** An independent generator with this seed and counter. */
    public Rng copy() {
        return new Rng(seed, counter);
    }

    /** {@code Rng[seed=<unsigned seed>, counter=<counter>]}, like the reference's repr. */
    @Override
    public String toString() {
        return "Rng[seed=" + Long.toUnsignedString(seed) + ", counter=" + counter + "]";
    }

    /**
     * The Philox block of every lane {@code 0..n-1} with the current counter, then advances the
     * counter. Each word is a U32 tensor of shape {@code [n]}.
     */
    private Tensor[] nextBlock(long n) {
        Tensor[] words = block(n, counter);
        counter = (counter + 1) & Philox.MASK;
        return words;
    }

    /** The Philox block of lanes {@code 0..n-1} at counter {@code c} (the generator is unchanged). */
    private Tensor[] block(long n, long c) {
        Tensor lane = Tensor.arange(DType.U32, n);
        Tensor zero = lane.value.scalarLike("Rng", 0);
        Tensor[] ctr = {Tensor.opaque(DType.U32, c & Philox.MASK), lane, zero, zero};
        return Philox.block(ctr, Tensor.opaque(DType.U32, seed >>> 32), Tensor.opaque(DType.U32, seed & Philox.MASK),
                Philox.ROUNDS);
    }

    /** The uniform variate of {@link #random}: the last word (F16, F32) or the last two (F64). */
    private static Tensor unit(DType dtype, Tensor[] w) {
        return dtype == DType.F64 ? unit64(w[2], w[3]) : unit32(w[3]).to(dtype);
    }

    /** {@code [0, 1)} with 23 random bits: the top bits of {@code u} as the mantissa of [1, 2). */
    private static Tensor unit32(Tensor u) {
        return u.shiftRight(9).or(u.value.scalarLike("Rng", 0x3F80_0000)).bitcast(DType.F32).sub(1.0);
    }

    /** {@code [0, 1)} with 52 random bits from the 64-bit word {@code hi << 32 | lo}. */
    private static Tensor unit64(Tensor lo, Tensor hi) {
        Tensor bits = hi.to(DType.U64).shiftLeft(32).or(lo.to(DType.U64));
        Tensor one = bits.value.scalarLike("Rng", (double) 0x3FF0_0000_0000_0000L);
        return bits.shiftRight(12).or(one).bitcast(DType.F64).sub(1.0);
    }

    /** {@code sin(2 pi angle) * sqrt(-log2(1 - radius)) * sqrt(2 ln 2)}, constants rounded to {@code t}. */
    private static Tensor boxMuller(Tensor radius, Tensor angle, DType t) {
        double sqrt2Ln2 = t == DType.F32 ? (float) Math.sqrt(2 * (float) LN2) : Math.sqrt(2 * LN2);
        Tensor scale = radius.value.scalarLike("Rng.normal()", 1).sub(radius).log2().neg().sqrt().mul(sqrt2Ln2);
        return angle.mul(2 * Math.PI).sin().mul(scale);
    }

    /** A flat {@code [n]} result in the requested shape: lanes stay in row-major order. */
    private static Tensor inShape(Tensor flat, long[] shape) {
        if (Shapes.isFlat(shape)) {
            return TensorValue.make(shape, flat.dtype(), flat.device(), flat.value.nodes());
        }
        return flat.reshape(shape);
    }

    private static void checkFloat(String op, DType dtype) {
        Objects.requireNonNull(dtype, op + ": dtype");
        checkArgument(dtype.isFloat(), "%s: dtype %s is not a float type; pass F16, F32 or F64 (for integers use "
                + "integers(dtype, low, high, shape))", op, dtype);
    }

    private static long[] checkedShape(String op, long[] shape) {
        Objects.requireNonNull(shape, op + ": shape");
        return Shapes.checked(op, shape);
    }
}
