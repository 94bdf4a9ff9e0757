package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;

/**
 * Lowers the transcendental ops ({@code EXP2 LOG2 EXP LOG SIN COS TANH}) into the mandatory,
 * correctly rounded ops, so that every backend computes them bit for bit alike (DESIGN.md
 * "Numbers").
 *
 * <p>The code is written once against {@link MathBuilder}: the same calls build IR nodes for a
 * kernel and evaluate host scalars in {@link ScalarOps}. It never branches on a value; special
 * cases are merged with {@code SELECT}, and there are no table lookups. F32 computes in F32 and
 * F64 in F64; the two differ only in their constants ({@link Consts}).
 *
 * <p>Accuracy (max error against the correctly rounded value; {@code MathLoweringTest} prints
 * its own figures against StrictMath): below 0.8 ulp for every function at F32 and at F64,
 * subnormal inputs and results included. {@code sin}/{@code cos} reduce the argument by a
 * three-part pi/2; that accuracy holds for {@code |x| < 2^21} (F32) and {@code |x| < 2^49} (F64),
 * where {@code round(x * 2/pi)}, rounded to the type, still leaves {@code |r|} small enough for
 * the polynomials. Beyond, the result stays finite and within [-1, 1] but is not accurate.
 *
 * <p>Techniques used throughout (a, b, c are values; "exact" means no rounding happens):
 * <ul>
 *   <li>{@code fma(a, b, -fl(a*b))} is the exact rounding error of a product;</li>
 *   <li>Fast2Sum: with {@code |a| >= |b|}, {@code s = a + b} and {@code (a - s) + b} is the
 *       exact rounding error of the sum; TwoSum does the same for any a, b in six ops;</li>
 *   <li>{@code p * 2^n} is built from an integer exponent field shifted into place and bitcast,
 *       applied in two halves so that overflow gives inf and underflow rounds once to a
 *       subnormal.</li>
 * </ul>
 */
public final class MathLowering {
    private MathLowering() {}

    /** Lowers op (one of EXP2, LOG2, EXP, LOG, SIN, COS, TANH) applied to x (type F32 or F64). */
    public static <V> V lower(MathBuilder<V> b, Op op, V x) {
        DType type = b.type(x);
        Consts k = switch (type) {
            case F32 -> Consts.F32;
            case F64 -> Consts.F64;
            default -> throw new IllegalArgumentException("MathLowering.lower(): " + op + " of " + type
                    + " is not lowered; F16 is computed in F32 and rounded (ScalarOps), integers have no "
                    + "transcendentals");
        };
        Emitter<V> e = new Emitter<>(b, k);
        return switch (op) {
            case EXP2 -> e.exp2(x);
            case EXP -> e.exp(x);
            case LOG2 -> e.log(x, true);
            case LOG -> e.log(x, false);
            case SIN -> e.sinCos(x, false);
            case COS -> e.sinCos(x, true);
            case TANH -> e.tanh(x);
            default -> throw new IllegalArgumentException("MathLowering.lower(): " + op
                    + " is not a transcendental op (expected one of EXP2 LOG2 EXP LOG SIN COS TANH)");
        };
    }

    // ---- constants -----------------------------------------------------------------------------

    /**
     * The constants of one float type. Every value is exactly representable in that type (the
     * F32 ones are written as floats). Polynomial coefficients are minimax fits (Remez, relative
     * error, see each field), lowest degree first.
     */
    private record Consts(
            DType bits,            // the signed integer type of the same width
            DType unsignedBits,    // the unsigned one
            int mantissaBits,      // explicit significand bits (23, 52)
            int bias,              // exponent bias (127, 1023)
            long signMask,         // the sign bit in the integer view
            long oneBits,          // bits of 1.0
            long sqrtHalfBits,     // bits of sqrt(1/2) rounded: log reduces m to [sqrt(1/2), sqrt(2))
            double minNormal,      // smallest normal number
            int subnormalShift,    // log scales subnormals by 2^subnormalShift into the normal range
            double exp2Clamp,      // exp2 clamps x to +-this: far beyond overflow and underflow, and
                                   // the halves of k stay normal exponents (see scale())
            double expClamp,       // the same for exp (= exp2Clamp * ln2, rounded down)
            double log2e,          // 1/ln2 rounded (exp: k = round(x / ln2))
            double ln2Hi,          // ln2 rounded; ln2Lo = ln2 - ln2Hi rounded
            double ln2Lo,
            double ln2ShortHi,     // ln2 to 14 (F32) / 40 (F64) bits, so k * ln2ShortHi is exact
            double ln2ShortLo,     // for every exponent k; ln2ShortLo = ln2 - ln2ShortHi rounded
            double invLn2Hi,       // 1/ln2 = invLn2Hi + invLn2Lo (log2 scales log(m) by it)
            double invLn2Lo,
            double twoOverPi,      // 2/pi rounded (sin/cos: k = round(x * 2/pi))
            double pio2Hi,         // pi/2 = pio2Hi + pio2Mid + pio2Lo to ~3x the precision
            double pio2Mid,
            double pio2Lo,
            double tanhSmall,      // below this |x|, tanh uses its odd polynomial; above, the exp form
            double tanhClamp,      // tanh clamps |x| to this; 1 - 2/(e^2x + 1) rounds to 1 beyond
            double[] expPoly,      // (e^r - 1 - r) / r^2 on |r| <= 0.347 (a little over ln2/2)
            double[] logPoly,      // (2 atanh(s)/s - 2) / s^2 in z = s^2, |s| <= 0.1716 (m in [sqrt .5, sqrt 2])
            double[] sinPoly,      // (sin r - r) / r^3 in z = r^2, |r| <= 0.8 (a little over pi/4)
            double[] cosPoly,      // (cos r - 1 + r^2/2) / r^4 in z = r^2, |r| <= 0.8
            double[] tanhPoly) {   // (tanh x - x) / x^3 in z = x^2, |x| <= 0.3

        static final Consts F32 = new Consts(
                DType.I32, DType.U32, 23, 127, 0x8000_0000L, 0x3f80_0000L, 0x3f35_04f3L,
                0x1p-126, 25,
                200, 138,
                0x1.715476p+0,
                0x1.62e430p-1, -0x1.05c610p-29,
                0x1.62e8p-1, -0x1.e8082ep-16,
                0x1.715476p+0, 0x1.4ae0c0p-26,
                0x1.45f306p-1,
                0x1.921fb6p+0, -0x1.777a5cp-25, -0x1.ee59dap-50,
                0.3, 10,
                new double[] {0x1p-1, 0x1.555556p-3, 0x1.5554e8p-5, 0x1.11114cp-7, 0x1.6d4388p-10,
                    0x1.a072f8p-13},
                new double[] {0x1.555556p-1, 0x1.9999ecp-2, 0x1.245c34p-2, 0x1.ddd19ap-3},
                new double[] {-0x1.555556p-3, 0x1.11110ep-7, -0x1.a01324p-13, 0x1.6d94b6p-19},
                new double[] {0x1.555556p-5, -0x1.6c16c0p-10, 0x1.a0156ep-16, -0x1.25092ep-22},
                new double[] {-0x1.555556p-2, 0x1.111048p-3, -0x1.b96b3cp-5, 0x1.4d6da4p-6});

        static final Consts F64 = new Consts(
                DType.I64, DType.U64, 52, 1023, 0x8000_0000_0000_0000L, 0x3ff0_0000_0000_0000L, 0x3fe6_a09e_667f_3bcdL,
                0x1p-1022, 54,
                2000, 1386,
                0x1.71547652b82fep+0,
                0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56,
                0x1.62e42fefa4000p-1, -0x1.8432a1b0e2634p-43,
                0x1.71547652b82fep+0, 0x1.777d0ffda0d24p-56,
                0x1.45f306dc9c883p-1,
                0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54, -0x1.f1976b7ed8fbcp-110,
                0.3, 20,
                new double[] {0x1.0000000000000p-1, 0x1.5555555555557p-3, 0x1.555555555554ep-5,
                    0x1.11111111100c5p-7, 0x1.6c16c16c1a0f8p-10, 0x1.a01a01abf54e3p-13, 0x1.a01a019044749p-16,
                    0x1.71de0204881c2p-19, 0x1.27e510f56d1d7p-22, 0x1.af4e4bcec9627p-26, 0x1.1f1a106a952e2p-29},
                new double[] {0x1.5555555555555p-1, 0x1.9999999999a38p-2, 0x1.2492492476b9cp-2,
                    0x1.c71c720177544p-3, 0x1.745cf8f913e93p-3, 0x1.3b1c3796d9285p-3, 0x1.0fbe5e91f72acp-3,
                    0x1.0c05b50f8395bp-3},
                new double[] {-0x1.5555555555555p-3, 0x1.1111111111110p-7, -0x1.a01a01a0197c3p-13,
                    0x1.71de3a543456cp-19, -0x1.ae6453c7b6214p-26, 0x1.612144e2f8314p-33, -0x1.aaf648e663f1bp-41},
                new double[] {0x1.5555555555555p-5, -0x1.6c16c16c16c16p-10, 0x1.a01a01a019c67p-16,
                    -0x1.27e4fb76ff6f3p-22, 0x1.1eed8dca9fb5bp-29, -0x1.939486e465461p-37, 0x1.ab5ad11987735p-45},
                new double[] {-0x1.5555555555555p-2, 0x1.1111111111101p-3, -0x1.ba1ba1ba170dfp-5,
                    0x1.664f487eaa6d7p-6, -0x1.226e3389814bdp-7, 0x1.d6d2e4629c6eep-9, -0x1.7d803e1a0f5afp-10,
                    0x1.32479580af78ep-11, -0x1.aa83b77309073p-13});
    }

    // ---- the algorithms --------------------------------------------------------------------------

    /** Emits the ops of one lowering; a thin layer of named helpers over {@link MathBuilder}. */
    private static final class Emitter<V> {
        private final MathBuilder<V> b;
        private final Consts k;
        private final DType ft;

        Emitter(MathBuilder<V> b, Consts k) {
            this.b = b;
            this.k = k;
            this.ft = k.bits() == DType.I32 ? DType.F32 : DType.F64;
        }

        // -- exp2, exp --

        /**
         * exp2(x): k = round(x), r = x - k (exact, |r| <= 1/2); 2^r = e^(r ln2) with r*ln2 kept
         * as a double-word yh + yl; the result is expPoly(yh, yl) * 2^k. x is first clamped to
         * +-exp2Clamp, which makes +inf overflow, -inf underflow to 0, and keeps NaN NaN.
         */
        V exp2(V x) {
            V xc = clamp(x, k.exp2Clamp());
            V kf = round(xc);
            V r = sub(xc, kf);
            V yh = mul(r, c(k.ln2Hi()));
            V yl = fma(r, c(k.ln2Lo()), fma(r, c(k.ln2Hi()), neg(yh)));
            return scale(expPoly(yh, yl), kf);
        }

        /**
         * exp(x): k = round(x / ln2), r = x - k*ln2 by Cody-Waite (x - k*ln2Hi is exact in an
         * fma, then k*ln2Lo is subtracted, keeping r as hi + lo), |r| <= ln2/2; the result is
         * expPoly(r) * 2^k. The clamp to +-expClamp handles +-inf and NaN as in exp2.
         */
        V exp(V x) {
            V xc = clamp(x, k.expClamp());
            Reduced<V> red = expReduce(xc);
            return scale(expPoly(red.hi(), red.lo()), red.k());
        }

        /** k, and y - k*ln2 = hi + lo (|hi| <= 0.347), for e^y = 2^k * e^(hi + lo). */
        private record Reduced<V>(V k, V hi, V lo) {}

        private Reduced<V> expReduce(V y) {
            V kf = round(mul(y, c(k.log2e())));
            V a = fma(neg(kf), c(k.ln2Hi()), y);          // exact: |k| < 2^11, |a| < 0.35 + tiny
            V p = mul(kf, c(k.ln2Lo()));
            V pl = fma(kf, c(k.ln2Lo()), neg(p));         // k*ln2Lo = p + pl exactly
            V hi = sub(a, p);
            V lo = sub(twoSumError(a, neg(p), hi), pl);   // a - p - pl = hi + lo (up to one rounding of lo)
            return new Reduced<>(kf, hi, lo);
        }

        /** e^(yh + yl), with 1 + yh added exactly (Fast2Sum) before the small terms. */
        private V expPoly(V yh, V yl) {
            V one = c(1);
            V s = add(one, yh);
            V err = add(sub(one, s), yh);
            return add(s, add(err, expTail(yh, yl)));
        }

        private V expTail(V yh, V yl) {
            return fma(mul(yh, yh), horner(yh, k.expPoly()), yl);
        }

        /**
         * p * 2^n for an integral float n with |n| <= exp2Clamp: p * 2^(n>>1) is exact (that
         * exponent stays normal), the second factor 2^(n - n>>1) rounds once, to inf or to a
         * subnormal as the true product would.
         */
        private V scale(V p, V n) {
            V ni = b.cast(n, k.bits());
            V n1 = b.binary(Op.SHR, ni, ci(1));
            V n2 = b.binary(Op.SUB, ni, n1);
            return mul(mul(p, pow2(n1)), pow2(n2));
        }

        /** 2^n for an integer n (of the integer type) in the normal exponent range. */
        private V pow2(V n) {
            V field = b.binary(Op.ADD, n, ci(k.bias()));
            return b.bitcast(b.binary(Op.SHL, field, ci(k.mantissaBits())), ft);
        }

        // -- log, log2 --

        /**
         * log(x) or log2(x): x = 2^k * m with m in [sqrt(1/2), sqrt(2)) (subnormals pre-scaled by
         * 2^subnormalShift); f = m - 1 (exact), s = f / (2 + f), and log(m) = 2 atanh(s)
         * = f - f^2/2 + s * (f^2/2 + z*P(z)) with z = s^2 (the fdlibm form), kept as hi + lo with
         * hi = f - f^2/2 rounded. log(x) = k*ln2 + hi + lo and log2(x) = k + (hi + lo)/ln2, each
         * summed as a double-word (the k term, which dominates whenever k != 0, plus hi or hi/ln2
         * by Fast2Sum, then the small terms). Specials by select: x < 0 or NaN -> NaN, +-0 -> -inf,
         * +inf -> +inf; log(1) = 0 exactly.
         */
        V log(V x, boolean base2) {
            V tiny = lt(x, c(k.minNormal()));
            V xs = select(tiny, mul(x, c(Math.scalb(1.0, k.subnormalShift()))), x);
            // the offset moves m in [sqrt(1/2), 1) up into the next binade; added unsigned, as NaN's
            // bits may pass the signed maximum (signed overflow is undefined in C-like backends)
            V shifted = b.binary(Op.ADD, b.bitcast(xs, k.unsignedBits()),
                    b.literalBits(k.unsignedBits(), k.oneBits() - k.sqrtHalfBits()));
            V ix = b.bitcast(shifted, k.bits());
            V e = b.binary(Op.SUB, b.binary(Op.SHR, ix, ci(k.mantissaBits())), ci(k.bias()));
            V kf = add(b.cast(e, ft), select(tiny, c(-k.subnormalShift()), c(0)));
            V mantissa = b.binary(Op.AND, ix, ci((1L << k.mantissaBits()) - 1));
            V m = b.bitcast(b.binary(Op.ADD, mantissa, ci(k.sqrtHalfBits())), ft);

            V f = sub(m, c(1));
            V s = div(f, add(c(2), f));
            V z = mul(s, s);
            V ff = mul(f, f);
            V hfsq = mul(c(0.5), ff);                     // f^2/2 = hfsq + hfsqErr exactly
            V hfsqErr = mul(c(0.5), fma(f, f, neg(ff)));
            V r = mul(z, horner(z, k.logPoly()));
            // log(m) = hi + lo: hi = f - f^2/2 rounded; lo gathers its rounding error ((f - hi) and
            // the difference with hfsq are exact by Sterbenz), hfsqErr, and s * (f^2/2 + r)
            V hi = sub(f, hfsq);
            V lo = fma(s, add(hfsq, r), sub(sub(sub(f, hi), hfsq), hfsqErr));

            V big;    // k * ln2 (or k): exact, and larger than every other term when k != 0
            V mid;    // hi (or hi/ln2 rounded)
            V tail;   // the rest
            if (base2) {
                big = kf;
                mid = mul(hi, c(k.invLn2Hi()));
                V midErr = fma(hi, c(k.invLn2Lo()), fma(hi, c(k.invLn2Hi()), neg(mid)));
                tail = fma(lo, c(k.invLn2Hi()), midErr);
            } else {
                big = mul(kf, c(k.ln2ShortHi()));
                mid = hi;
                tail = fma(kf, c(k.ln2ShortLo()), lo);
            }
            V sum = add(big, mid);
            V sumErr = add(sub(big, sum), mid);          // Fast2Sum: |big| >= |mid| or big = 0
            V result = add(sum, add(sumErr, tail));

            result = select(ge(x, c(0)), result, c(Double.NaN));        // x < 0 or NaN
            result = select(eq(x, c(0)), c(Double.NEGATIVE_INFINITY), result);
            return select(eq(x, c(Double.POSITIVE_INFINITY)), x, result);
        }

        // -- sin, cos --

        /**
         * sin(x) or cos(x): k = round(x * 2/pi) and r = x - k*pi/2 as a double-word rh + rl, with
         * pi/2 in three parts: x - k*pio2Hi is exact in an fma (for |k| < 2^23 at F32, 2^50 at
         * F64), k*pio2Mid is split exactly by an fma and subtracted by TwoSum, k*pio2Lo is small.
         * Then sin and cos of r by polynomials fitted on |r| <= 0.8 (|r| reaches about 0.9 near
         * the end of the accurate range, still well within 1 ulp), and the quadrant k mod 4 selects
         * +-sin(r) or +-cos(r). Where the reduction fails (|x| far beyond the accurate range) and
         * |rh| > 1, r is replaced by 0, so the result stays finite and in [-1, 1].
         * Specials: NaN and +-inf give NaN; sin(+-0) = +-0.
         */
        V sinCos(V x, boolean cos) {
            V kf = round(mul(x, c(k.twoOverPi())));
            V a = fma(neg(kf), c(k.pio2Hi()), x);
            V h = mul(kf, c(k.pio2Mid()));
            V l = fma(kf, c(k.pio2Mid()), neg(h));       // k*pio2Mid = h + l exactly
            V s = sub(a, h);
            V e = twoSumError(a, neg(h), s);             // a - h = s + e exactly
            V tl = fma(neg(kf), c(k.pio2Lo()), sub(e, l));
            V rh = add(s, tl);
            V rl = twoSumError(s, tl, rh);

            V inRange = le(abs(rh), c(1));               // false for NaN as well
            rh = select(inRange, rh, c(0));
            rl = select(inRange, rl, c(0));

            V sinR = sinPoly(rh, rl);
            V cosR = cosPoly(rh, rl);

            // quadrant q = k mod 4 in 0..3, computed exactly in float (k may exceed every integer type)
            V q = sub(kf, mul(c(4), floor(mul(kf, c(0.25)))));
            if (cos) {
                q = add(q, c(1));                        // cos(x) = sin(x + pi/2): quadrants 1..4
            }
            V odd = or(eq(q, c(1)), eq(q, c(3)));
            V negative = or(eq(q, c(2)), eq(q, c(3)));
            V result = select(odd, cosR, sinR);
            result = select(negative, neg(result), result);

            if (!cos) {
                result = select(eq(x, c(0)), x, result);  // sin(-0) = -0
            }
            return select(lt(abs(x), c(Double.POSITIVE_INFINITY)), result, c(Double.NaN));
        }

        /** sin(rh + rl) ~ rh + (rh^3 * P(rh^2) + rl*(1 - rh^2/2)). */
        private V sinPoly(V rh, V rl) {
            V z = mul(rh, rh);
            V v = mul(z, rh);
            V correction = fma(mul(c(-0.5), z), rl, rl);
            return add(rh, fma(v, horner(z, k.sinPoly()), correction));
        }

        /**
         * cos(rh + rl) ~ 1 - rh^2/2 + rh^4 * P(rh^2) - rh*rl, with rh^2 = z + zl exact and
         * w = 1 - z/2 corrected by its own rounding error ((1 - w) - z/2, exact).
         */
        private V cosPoly(V rh, V rl) {
            V z = mul(rh, rh);
            V zl = fma(rh, rh, neg(z));
            V hz = mul(c(0.5), z);
            V w = sub(c(1), hz);
            V small = fma(mul(z, z), horner(z, k.cosPoly()), neg(fma(rh, rl, mul(c(0.5), zl))));
            return add(w, add(sub(sub(c(1), w), hz), small));
        }

        // -- tanh --

        /**
         * tanh(x) on a = |x|, sign restored from x's sign bit (so tanh(-0) = -0):
         * for a < tanhSmall, a + a^3 * P(a^2); otherwise tanh = 1 - 2 / (e^(2a) + 1), carried in
         * double-words: e^(2a) = 2^k * (1 + t) with t = th + tl, so e^(2a) + 1 = (2^k + 1) + 2^k*th
         * + 2^k*tl = dh + dl (2^k*th is exact, the sum by TwoSum); 2/(dh + dl) = qh + ql with the
         * remainder of qh = 2/dh exact in an fma; 1 - qh by Fast2Sum. a is clamped to tanhClamp,
         * beyond which the result rounds to 1. NaN stays NaN.
         */
        V tanh(V x) {
            V a = abs(x);
            V z = mul(a, a);
            V small = fma(mul(a, z), horner(z, k.tanhPoly()), a);

            V ac = b.binary(Op.MIN, a, c(k.tanhClamp()));
            Reduced<V> red = expReduce(add(ac, ac));
            V tail = expTail(red.hi(), red.lo());
            V th = add(red.hi(), tail);                     // e^r - 1 = th + tl (Fast2Sum: |hi| >= |tail|)
            V tl = add(sub(red.hi(), th), tail);
            V pk = pow2(b.cast(red.k(), k.bits()));
            V one = c(1);
            V p1 = add(pk, one);                            // exact while 2^k + 1 fits; else q is negligible
            V pt = mul(pk, th);                             // exact: a power of two times th
            V dh = add(p1, pt);
            V dl = fma(pk, tl, twoSumError(p1, pt, dh));
            V qh = div(c(2), dh);
            V remainder = fma(neg(qh), dh, c(2));           // exact: 2 - qh*dh
            V ql = div(fma(neg(qh), dl, remainder), dh);
            V s = sub(one, qh);
            V sErr = sub(sub(one, s), qh);                  // Fast2Sum: qh < 1
            V large = add(s, sub(sErr, ql));

            V result = select(lt(a, c(k.tanhSmall())), small, large);
            return copySign(result, x);
        }

        // -- helpers --

        /** Exact error of s = fl(a + b) (TwoSum, valid for any magnitudes). */
        private V twoSumError(V a, V bb, V s) {
            V bVirtual = sub(s, a);
            V aVirtual = sub(s, bVirtual);
            return add(sub(a, aVirtual), sub(bb, bVirtual));
        }

        /** c0 + z*(c1 + z*(c2 + ...)) by fma. */
        private V horner(V z, double[] cs) {
            V acc = c(cs[cs.length - 1]);
            for (int i = cs.length - 2; i >= 0; i--) {
                acc = fma(acc, z, c(cs[i]));
            }
            return acc;
        }

        private V clamp(V x, double bound) {
            return b.binary(Op.MIN, b.binary(Op.MAX, x, c(-bound)), c(bound));
        }

        /** |mag| with the sign bit of sign (mag must be non-negative or NaN). */
        private V copySign(V mag, V sign) {
            V signBit = b.binary(Op.AND, b.bitcast(sign, k.bits()), b.literalBits(k.bits(), k.signMask()));
            return b.bitcast(b.binary(Op.OR, b.bitcast(mag, k.bits()), signBit), ft);
        }

        private V c(double v) {
            return b.literal(ft, v);
        }

        /** An integer constant of the integer type (given by its bits, so 64-bit values stay exact). */
        private V ci(long v) {
            return b.literalBits(k.bits(), v);
        }

        private V add(V x, V y) {
            return b.binary(Op.ADD, x, y);
        }

        private V sub(V x, V y) {
            return b.binary(Op.SUB, x, y);
        }

        private V mul(V x, V y) {
            return b.binary(Op.MUL, x, y);
        }

        private V div(V x, V y) {
            return b.binary(Op.DIV, x, y);
        }

        private V fma(V x, V y, V z) {
            return b.ternary(Op.FMA, x, y, z);
        }

        private V neg(V x) {
            return b.unary(Op.NEG, x);
        }

        private V abs(V x) {
            return b.unary(Op.ABS, x);
        }

        private V round(V x) {
            return b.unary(Op.ROUND, x);
        }

        private V floor(V x) {
            return b.unary(Op.FLOOR, x);
        }

        private V select(V mask, V x, V y) {
            return b.ternary(Op.SELECT, mask, x, y);
        }

        private V or(V m1, V m2) {
            return b.binary(Op.OR, m1, m2);
        }

        private V lt(V x, V y) {
            return b.binary(Op.LT, x, y);
        }

        private V le(V x, V y) {
            return b.binary(Op.LE, x, y);
        }

        private V ge(V x, V y) {
            return b.binary(Op.GE, x, y);
        }

        private V eq(V x, V y) {
            return b.binary(Op.EQ, x, y);
        }
    }
}
