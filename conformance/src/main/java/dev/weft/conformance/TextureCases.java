package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Texture2;
import dev.weft.Texture2.FilterMode;
import dev.weft.Texture2.WrapMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@link Texture2}: lookups for every {@link FilterMode} and {@link WrapMode}, 1, 2, 3 and 4
 * channels, odd sizes, positions on texel centres, on texel edges, on the borders and outside
 * [0, 1], F16, F32 and F64 positions and F16 texels; gradients by texel values and by positions;
 * bad input. Expected values come from {@link HostTexture} (reference-semantics.md §7 on the
 * host) and, for the worked examples, from §7 and by hand.
 *
 * <p>Result classes. A lookup is {@link ResultClass#BIT_EXACT}: §7 fixes every rounding (the
 * fma for {@code u}, the weight products, the fma chain over the corners in the order 00, 10,
 * 01, 11), which {@link HostTexture} reproduces in the positions' IEEE arithmetic. Gradients are
 * {@link ResultClass#ORDERED_SUM}: a texel's gradient adds the contributions of every lane and
 * corner that reads it (a scatter-add, in the backend's order), and a position's gradient adds
 * {@code 4 C} products in an order §7 does not fix. Both are compared with the exact sum of the
 * terms (double) within {@link SumBounds}, {@code K * 2^-23 * sum|terms|} for K terms; a term is
 * {@code g * weight} (texels: one rounded product, the weight being §7's, which the host
 * reproduces exactly) or {@code ±g * texel * res * w_other} (positions: three rounded products),
 * and K units of 2^-23 cover those roundings and the K - 1 additions; F16 texels add one F16
 * rounding per term (each term is the gradient of a gathered F16 value, itself F16), and the
 * sum is rounded to F16 once. Inside each expected-value
 * supplier the analytic gradient is first checked against a central finite difference of the
 * host sampler in double: a check of the host formula itself, which fails the case if it is wrong.
 */
public final class TextureCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "texture";

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        handNumbers(out);
        for (FilterMode f : FilterMode.values()) {
            for (WrapMode m : WrapMode.values()) {
                out.add(lookup(f, m, 5, 7, 3, DType.F32, DType.F32));
                out.add(lookup(f, m, 6, 5, 1, DType.F32, DType.F32));
                out.add(lookup(f, m, 3, 4, 4, DType.F32, DType.F32));
            }
        }
        for (WrapMode m : WrapMode.values()) {
            out.add(lookup(FilterMode.LINEAR, m, 1, 1, 2, DType.F32, DType.F32)); // one texel: every lookup reads it
            out.add(lookup(FilterMode.LINEAR, m, 5, 7, 3, DType.F16, DType.F32));
            out.add(lookup(FilterMode.LINEAR, m, 5, 7, 3, DType.F32, DType.F16));
            out.add(lookup(FilterMode.LINEAR, m, 5, 7, 3, DType.F32, DType.F64));
        }
        out.add(lookup(FilterMode.NEAREST, WrapMode.MIRROR, 6, 5, 1, DType.F32, DType.F16));
        out.add(lookup(FilterMode.LINEAR, WrapMode.REPEAT, 3, 4, 4, DType.F64, DType.F64));

        for (WrapMode m : WrapMode.values()) {
            out.add(gradient(Target.TEXELS, FilterMode.LINEAR, m, 5, 7, 3, DType.F32, DType.F32, false));
            out.add(gradient(Target.POSITIONS, FilterMode.LINEAR, m, 5, 7, 3, DType.F32, DType.F32, false));
        }
        out.add(gradient(Target.TEXELS, FilterMode.LINEAR, WrapMode.REPEAT, 4, 9, 4, DType.F32, DType.F32, true));
        out.add(gradient(Target.POSITIONS, FilterMode.LINEAR, WrapMode.REPEAT, 4, 9, 4, DType.F32, DType.F32, true));
        out.add(gradient(Target.TEXELS, FilterMode.NEAREST, WrapMode.CLAMP, 6, 5, 2, DType.F32, DType.F32, true));
        out.add(gradient(Target.POSITIONS, FilterMode.NEAREST, WrapMode.MIRROR, 6, 5, 2, DType.F32, DType.F32, true));
        // one channel: the lookup is [1, N], whose sum is a [] cotangent of a rank-2 value
        out.add(gradient(Target.TEXELS, FilterMode.LINEAR, WrapMode.CLAMP, 6, 5, 1, DType.F32, DType.F32, false));
        out.add(gradient(Target.TEXELS, FilterMode.LINEAR, WrapMode.MIRROR, 5, 7, 3, DType.F16, DType.F32, false));
        out.add(gradient(Target.TEXELS, FilterMode.LINEAR, WrapMode.CLAMP, 3, 4, 4, DType.F32, DType.F64, true));
        out.add(gradient(Target.POSITIONS, FilterMode.LINEAR, WrapMode.CLAMP, 3, 4, 4, DType.F32, DType.F64, true));

        badInput(out);
        return out;
    }

    // ---- lookups -----------------------------------------------------------------------------

    /**
     * A {@code h x w x c} texture of random texels in [-1, 1) (texel dtype {@code tt}) evaluated at
     * {@link #positions} (dtype {@code pt}), bit for bit against {@link HostTexture}.
     */
    private static ConformanceCase lookup(FilterMode f, WrapMode m, int h, int w, int c, DType tt, DType pt) {
        String id = GROUP + "/eval/" + f + "/" + m + "/" + h + "x" + w + "x" + c + "/texels-" + tt + "/positions-" + pt;
        SplittableRandom r = new SplittableRandom(id.hashCode());
        Values texels = texels(tt, r, h, w, c);
        Values pos = positions(pt, r, h, w, 48);
        HostTexture host = new HostTexture(h, w, c, f, m);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT,
                "new Texture2(texels " + tt + "[" + h + ", " + w + ", " + c + "], " + f + ", " + m + ").eval(positions "
                        + pt + "[2, " + pos.shape()[1] + "]): centres, edges, borders, outside [0, 1], random",
                () -> new Texture2(DeviceIo.upload(texels), f, m).eval(DeviceIo.upload(pos)),
                () -> new Expected.Exact(host.eval(texels, pos)), Tag.of(tt), Tag.of(pt));
    }

    /** Random texel values in [-1, 1) of dtype {@code t}, shape {@code [h, w, c]}. */
    private static Values texels(DType t, SplittableRandom r, int h, int w, int c) {
        long[] b = new long[h * w * c];
        for (int i = 0; i < b.length; i++) {
            b[i] = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(r.nextDouble(-1, 1)));
        }
        return new Values(t, new long[] {h, w, c}, b);
    }

    /**
     * Positions {@code [2, N]} of dtype {@code t}: along each axis the texel centres
     * {@code (i + 0.5) / res}, the texel edges {@code i / res} (0 and 1 among them), half a texel
     * and more outside [0, 1] (-0.6, -0.1, 1.1, 1.7: the wrap modes differ there), paired so that x
     * and y run through their lists at different rates, then {@code random} uniform ones in
     * [-1.5, 2.5].
     */
    private static Values positions(DType t, SplittableRandom r, int h, int w, int random) {
        double[] xs = special(w);
        double[] ys = special(h);
        int n = Math.max(xs.length, ys.length) + random;
        long[] b = new long[2 * n];
        for (int i = 0; i < n; i++) {
            boolean listed = i < n - random;
            double x = listed ? xs[i % xs.length] : r.nextDouble(-1.5, 2.5);
            double y = listed ? ys[(3 * i + 1) % ys.length] : r.nextDouble(-1.5, 2.5);
            b[i] = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(x));
            b[n + i] = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(y));
        }
        return new Values(t, new long[] {2, n}, b);
    }

    private static double[] special(int res) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < res; i++) {
            v.add((i + 0.5) / res);
        }
        for (int i = 0; i <= res; i++) {
            v.add((double) i / res);
        }
        v.addAll(List.of(-0.5 / res, 1 + 0.5 / res, -0.6, -0.1, 1.1, 1.7));
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- gradients ---------------------------------------------------------------------------

    private enum Target { TEXELS, POSITIONS }

    /**
     * {@code loss = tex.eval(p).mul(g).sum()} with host-known {@code g} ({@code [C, N]}),
     * {@code backward()}, then the gradient of {@code target}: texels {@code [H, W, C]}, where
     * element {@code j} gets {@code g[ch, n] * weight} from every lane n and corner that reads it,
     * or positions {@code [2, N]}, where x gets {@code sum g[ch, n] * texel * dweight/dx}. With
     * {@code both}, texels and positions require gradients in the same backward pass. A nearest
     * lookup is flat in the positions (its {@code floor} has derivative 0, and the core does not
     * trace it), so for its position gradient the loss also gets {@code p.mul(q).sum()}: the
     * gradient must be {@code q}, the lookup adding nothing.
     */
    private static ConformanceCase gradient(Target target, FilterMode f, WrapMode m, int h, int w, int c, DType tt,
                                            DType pt, boolean both) {
        String id = GROUP + "/grad/" + target.name().toLowerCase() + "/" + f + "/" + m + "/" + h + "x" + w + "x" + c
                + "/texels-" + tt + "/positions-" + pt + (both ? "/both-require-grad" : "");
        SplittableRandom r = new SplittableRandom(id.hashCode());
        Values texels = texels(tt, r, h, w, c);
        Values pos = smoothPositions(pt, r, h, w, 40);
        int n = (int) pos.shape()[1];
        float[] gf = new float[c * n];
        for (int i = 0; i < gf.length; i++) {
            gf[i] = (float) r.nextDouble(-2, 2);
        }
        Values g = Values.ofFloats(gf, c, n);
        boolean linearTerm = f == FilterMode.NEAREST && target == Target.POSITIONS;
        float[] qf = new float[2 * n];
        for (int i = 0; i < qf.length; i++) {
            qf[i] = linearTerm ? (float) r.nextDouble(-2, 2) : 0;
        }
        Values q = Values.ofFloats(qf, 2, n);
        HostTexture host = new HostTexture(h, w, c, f, m);
        boolean texelsGrad = target == Target.TEXELS || both;
        boolean positionsGrad = target == Target.POSITIONS || both;
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM, "t = texels " + tt + "[" + h + ", " + w + ", " + c
                        + "]" + (texelsGrad ? " (requiresGrad)" : "") + ", p = positions " + pt + "[2, " + n + "]"
                        + (positionsGrad ? " (requiresGrad)" : "") + "; new Texture2(t, " + f + ", " + m
                        + ").eval(p).mul(g).sum()" + (linearTerm ? " + p.mul(q).sum()" : "") + ", backward(); "
                        + (target == Target.TEXELS ? "t" : "p") + ".grad()",
                () -> {
                    Tensor t = DeviceIo.upload(texels);
                    Tensor p = DeviceIo.upload(pos);
                    t = texelsGrad ? t.requiresGrad(true) : t;
                    p = positionsGrad ? p.requiresGrad(true) : p;
                    Tensor gt = DeviceIo.upload(g).to(pt);
                    Tensor loss = new Texture2(t, f, m).eval(p).mul(gt).sum();
                    if (linearTerm) {
                        loss = loss.add(p.mul(DeviceIo.upload(q).to(pt)).sum());
                    }
                    loss.backward();
                    return (target == Target.TEXELS ? t : p).grad();
                },
                () -> {
                    checkAgainstFiniteDifferences(host, texels, pos, g);
                    return target == Target.TEXELS ? texelGradient(host, texels, pos, g)
                            : positionGradient(host, texels, pos, g, q);
                }, Tag.of(tt), Tag.of(pt));
    }

    /**
     * Random positions in [-0.6, 1.6] whose {@code u = pos * res - 0.5} has a fractional part in
     * [0.05, 0.45] or [0.55, 0.95] on both axes: away from texel centres (the kinks of a bilinear
     * lookup, where it has no derivative) and from texel edges (the jumps of a nearest lookup).
     */
    private static Values smoothPositions(DType t, SplittableRandom r, int h, int w, int n) {
        long[] b = new long[2 * n];
        for (int i = 0; i < n; i++) {
            b[i] = smooth(t, r, w);
            b[n + i] = smooth(t, r, h);
        }
        return new Values(t, new long[] {2, n}, b);
    }

    private static long smooth(DType t, SplittableRandom r, int res) {
        double fraction = r.nextDouble(0.05, 0.45) + (r.nextBoolean() ? 0.5 : 0);
        double u = Math.floor(r.nextDouble(-0.6 * res, 1.6 * res)) + fraction;
        return HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits((u + 0.5) / res));
    }

    /** Texel element {@code j} gets {@code g[ch, n] * weight} from each lane n and corner reading it. */
    private static Expected texelGradient(HostTexture host, Values texels, Values pos, Values g) {
        int n = (int) pos.shape()[1];
        List<List<Double>> terms = new ArrayList<>();
        for (int j = 0; j < texels.size(); j++) {
            terms.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            HostTexture.Lookup l = host.lookup(pos.dtype(), pos.bits()[i], pos.bits()[n + i]);
            for (int ch = 0; ch < host.channels(); ch++) {
                for (int c = 0; c < l.offsets().length; c++) {
                    double weight = Values.toDouble(pos.dtype(), l.weights()[c]);
                    terms.get(l.offsets()[c] + ch).add(g.value(ch * n + i) * weight);
                }
            }
        }
        return bounded(texels.dtype(), texels.shape(), terms);
    }

    /**
     * x of lane n gets {@code g[ch, n] * texel * dweight/dx} over channels and corners, plus
     * {@code q[0, n]} (the derivative of a linear term {@code p.mul(q).sum()}, if any); y likewise.
     */
    private static Expected positionGradient(HostTexture host, Values texels, Values pos, Values g, Values q) {
        int n = (int) pos.shape()[1];
        List<List<Double>> terms = new ArrayList<>();
        for (int i = 0; i < 2 * n; i++) {
            terms.add(new ArrayList<>(q.value(i) == 0 ? List.of() : List.of(q.value(i))));
        }
        for (int i = 0; i < n; i++) {
            HostTexture.Lookup l = host.lookup(pos.dtype(), pos.bits()[i], pos.bits()[n + i]);
            for (int ch = 0; ch < host.channels(); ch++) {
                for (int c = 0; c < l.offsets().length; c++) {
                    double gv = g.value(ch * n + i) * texels.value(l.offsets()[c] + ch);
                    terms.get(i).add(gv * l.dx()[c]);
                    terms.get(n + i).add(gv * l.dy()[c]);
                }
            }
        }
        return bounded(pos.dtype(), pos.shape(), terms);
    }

    private static Expected bounded(DType t, long[] shape, List<List<Double>> terms) {
        double[] exact = new double[terms.size()];
        double[] bound = new double[terms.size()];
        for (int j = 0; j < exact.length; j++) {
            double[] tj = terms.get(j).stream().mapToDouble(Double::doubleValue).toArray();
            exact[j] = SumBounds.exactSum(tj);
            // an F16 texel's per-lane contribution is the gradient of an F16 value (the gathered
            // texel), so it is itself rounded to F16 before the F32 sum (DESIGN.md "Numbers")
            double perTerm = t == DType.F16 ? 0x1p-11 * SumBounds.absSum(tj) : 0;
            bound[j] = SumBounds.bound(t, tj, exact[j]) + perTerm;
        }
        return new Expected.Bounded(t, shape, exact, bound);
    }

    /**
     * The analytic gradients of the host model, in double (F64 arithmetic), against central
     * differences of its loss {@code sum g * eval}: by each texel value (step 1; the loss is
     * linear in the texels) and by each position coordinate (step 2^-20; the positions are at
     * least 0.05 texel from a kink, so the lookup is linear over the step). Throws if they differ:
     * the host formula would be wrong.
     */
    private static void checkAgainstFiniteDifferences(HostTexture host, Values texels, Values pos, Values g) {
        int n = (int) pos.shape()[1];
        double[] tex = new double[texels.size()];
        for (int j = 0; j < tex.length; j++) {
            tex[j] = texels.value(j);
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = pos.value(i);
            y[i] = pos.value(n + i);
        }
        Values gradT = values(texelGradient(host, asF64(texels.shape(), tex), asF64(pos.shape(), concat(x, y)), g));
        for (int j = 0; j < tex.length; j++) {
            double keep = tex[j];
            tex[j] = keep + 1;
            double up = loss(host, tex, texels.shape(), x, y, g);
            tex[j] = keep - 1;
            double down = loss(host, tex, texels.shape(), x, y, g);
            tex[j] = keep;
            agree("texel " + j, (up - down) / 2, gradT.value(j));
        }
        Values gradP = values(positionGradient(host, asF64(texels.shape(), tex), asF64(pos.shape(), concat(x, y)), g,
                Values.ofDoubles(new double[2 * n], 2, n)));
        double step = 0x1p-20;
        for (int i = 0; i < 2 * n; i++) {
            double[] v = i < n ? x : y;
            int k = i % n;
            double keep = v[k];
            v[k] = keep + step;
            double up = loss(host, tex, texels.shape(), x, y, g);
            v[k] = keep - step;
            double down = loss(host, tex, texels.shape(), x, y, g);
            v[k] = keep;
            agree((i < n ? "x" : "y") + " of lane " + k, (up - down) / (2 * step), gradP.value(i));
        }
    }

    private static double loss(HostTexture host, double[] tex, long[] shape, double[] x, double[] y, Values g) {
        Values t = asF64(shape, tex);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int ch = 0; ch < host.channels(); ch++) {
                long v = host.eval(t, DType.F64, Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]),
                        ch);
                sum += g.value(ch * x.length + i) * Double.longBitsToDouble(v);
            }
        }
        return sum;
    }

    private static void agree(String what, double finiteDifference, double analytic) {
        if (Math.abs(finiteDifference - analytic) > 1e-6 * (1 + Math.abs(analytic))) {
            throw new IllegalStateException("host model: the gradient by " + what + " is " + analytic
                    + " but the finite difference gives " + finiteDifference);
        }
    }

    private static Values values(Expected e) {
        return Values.ofDoubles(((Expected.Bounded) e).exact(), e.shape());
    }

    private static Values asF64(long[] shape, double[] v) {
        return new Values(DType.F64, shape, Values.ofDoubles(v).bits());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- worked examples ---------------------------------------------------------------------

    /**
     * Numbers worked by hand: §7's "2-texel texture [0, 1] gives 0 for pos <= 0.25 and 1 for
     * pos >= 0.75" (clamp), its mirror rule on a 4-texel row (-1 -> 0, -2 -> 1, r -> r - 1,
     * r + 1 -> r - 2) and repeat rule, the class example (the centre of a 2x2 image is the mean),
     * and §7's test05 example: values (3, 5, 8), repeat, x = 1/24 + 0.375 gives u = 0.75, the
     * value 0.25 * 3 + 0.75 * 5 = 4.5, value gradient (0.25, 0.75, 0) and position gradient
     * (W * (5 - 3), 0) = (6, 0). The F32 arithmetic is exact in all but test05, where x is not
     * an F32 value and u is within an ulp of 0.75: within 1e-6 there.
     */
    private static void handNumbers(List<ConformanceCase> out) {
        float[] xs = {-0.5f, 0f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 1f, 1.5f};
        float[] clampPos = new float[2 * xs.length];
        System.arraycopy(xs, 0, clampPos, 0, xs.length);
        Arrays.fill(clampPos, xs.length, clampPos.length, 0.5f);
        out.add(Checks.program(GROUP + "/hand/clamp-two-texels", GROUP, ResultClass.BIT_EXACT,
                "Texture2([0, 1] as [1, 2, 1], LINEAR, CLAMP).eval(x = " + Arrays.toString(xs) + ", y = 0.5)",
                () -> new Texture2(Tensor.of(new float[] {0, 1}, 1, 2, 1), FilterMode.LINEAR, WrapMode.CLAMP)
                        .eval(Tensor.of(clampPos, 2, xs.length)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {0, 0, 0, 0, 0.5f, 1, 1, 1, 1}, 1, xs.length)),
                Tag.F32));
        // texel indices -1, -2, 4, 5, 9, -5 of a 4-texel row, at their centres (i + 0.5) / 4
        float[] mirrorPos = {-0.125f, -0.375f, 1.125f, 1.375f, 2.375f, -1.125f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
        float[] row = {10, 20, 30, 40};
        out.add(Checks.program(GROUP + "/hand/mirror-indices", GROUP, ResultClass.BIT_EXACT,
                "Texture2([10, 20, 30, 40] as [1, 4, 1], NEAREST, MIRROR) at texel indices -1, -2, 4, 5, 9, -5: "
                        + "texels 0, 1, 3, 2, 1, 3",
                () -> new Texture2(Tensor.of(row, 1, 4, 1), FilterMode.NEAREST, WrapMode.MIRROR)
                        .eval(Tensor.of(mirrorPos, 2, 6)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {10, 20, 40, 30, 20, 40}, 1, 6)), Tag.F32));
        out.add(Checks.program(GROUP + "/hand/repeat-indices", GROUP, ResultClass.BIT_EXACT,
                "Texture2([10, 20, 30, 40] as [1, 4, 1], NEAREST, REPEAT) at texel indices -1, -2, 4, 5, 9, -5: "
                        + "texels 3, 2, 0, 1, 1, 3",
                () -> new Texture2(Tensor.of(row, 1, 4, 1), FilterMode.NEAREST, WrapMode.REPEAT)
                        .eval(Tensor.of(mirrorPos, 2, 6)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {40, 30, 10, 20, 20, 40}, 1, 6)), Tag.F32));
        out.add(Checks.program(GROUP + "/hand/centre-is-the-mean", GROUP, ResultClass.BIT_EXACT,
                "Texture2([[0, 1], [2, 3]] as [2, 2, 1]).eval((0.5, 0.5), (0.25, 0.75)) = 1.5 (the mean), "
                        + "2 (texel (0, 1))",
                () -> new Texture2(Tensor.of(new float[] {0, 1, 2, 3}, 2, 2, 1))
                        .eval(Tensor.of(new float[] {0.5f, 0.25f, 0.5f, 0.75f}, 2, 2)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {1.5f, 2f}, 1, 2)), Tag.F32));

        float x05 = (float) (1.0 / 24 + 0.375);
        out.add(Checks.program(GROUP + "/hand/test05-value", GROUP, ResultClass.BIT_EXACT,
                "Texture2((3, 5, 8) as [1, 3, 1], LINEAR, REPEAT).eval(x = 1/24 + 0.375, y = 0.5) = 4.5 (§7)",
                () -> new Texture2(Tensor.of(new float[] {3, 5, 8}, 1, 3, 1), FilterMode.LINEAR, WrapMode.REPEAT)
                        .eval(Tensor.of(new float[] {x05, 0.5f}, 2, 1)),
                () -> new Expected.Bounded(DType.F32, new long[] {1, 1}, new double[] {4.5}, new double[] {1e-6}),
                Tag.F32));
        out.add(Checks.program(GROUP + "/hand/test05-texel-gradient", GROUP, ResultClass.ORDERED_SUM,
                "t = (3, 5, 8) as [1, 3, 1] (requiresGrad); Texture2(t, LINEAR, REPEAT).eval(x = 1/24 + 0.375, "
                        + "y = 0.5).backward(); t.grad() = (0.25, 0.75, 0) (§7)",
                () -> {
                    Tensor t = Tensor.of(new float[] {3, 5, 8}, 1, 3, 1).requiresGrad(true);
                    new Texture2(t, FilterMode.LINEAR, WrapMode.REPEAT).eval(Tensor.of(new float[] {x05, 0.5f}, 2, 1))
                            .backward();
                    return t.grad();
                },
                () -> new Expected.Bounded(DType.F32, new long[] {1, 3, 1}, new double[] {0.25, 0.75, 0},
                        new double[] {1e-6, 1e-6, 0}), Tag.F32));
        out.add(Checks.program(GROUP + "/hand/test05-position-gradient", GROUP, ResultClass.ORDERED_SUM,
                "p = (1/24 + 0.375, 0.5) (requiresGrad); Texture2((3, 5, 8) as [1, 3, 1], LINEAR, REPEAT).eval(p)"
                        + ".backward(); p.grad() = (3 * (5 - 3), 0) = (6, 0)",
                () -> {
                    Tensor p = Tensor.of(new float[] {x05, 0.5f}, 2, 1).requiresGrad(true);
                    new Texture2(Tensor.of(new float[] {3, 5, 8}, 1, 3, 1), FilterMode.LINEAR, WrapMode.REPEAT).eval(p)
                            .backward();
                    return p.grad();
                },
                () -> new Expected.Bounded(DType.F32, new long[] {2, 1}, new double[] {6, 0}, new double[] {1e-5, 0}),
                Tag.F32));
    }

    // ---- bad input ---------------------------------------------------------------------------

    /**
     * Texels that are not a non-empty float {@code [H, W, C]} and positions that are not float
     * {@code [2, N]} throw {@link IllegalArgumentException} (Texture2's documented error) whose
     * message names the operation, the shape or dtype given and the one expected.
     */
    private static void badInput(List<ConformanceCase> out) {
        Supplier<Texture2> tex = () -> new Texture2(Tensor.zeros(DType.F32, 2, 2, 1));
        out.add(rejects("positions-N-by-3", "eval(positions F32[5, 3])",
                () -> tex.get().eval(Tensor.zeros(DType.F32, 5, 3)), "Texture2.eval()", "[5, 3]", "[2, N]"));
        out.add(rejects("positions-3-by-N", "eval(positions F32[3, 5])",
                () -> tex.get().eval(Tensor.zeros(DType.F32, 3, 5)), "Texture2.eval()", "[3, 5]", "[2, N]"));
        out.add(rejects("positions-1-d", "eval(positions F32[10])",
                () -> tex.get().eval(Tensor.zeros(DType.F32, 10)), "Texture2.eval()", "[10]", "[2, N]"));
        out.add(rejects("positions-3-d", "eval(positions F32[2, 3, 4])",
                () -> tex.get().eval(Tensor.zeros(DType.F32, 2, 3, 4)), "Texture2.eval()", "[2, 3, 4]", "[2, N]"));
        out.add(rejects("positions-integer", "eval(positions I32[2, 5])",
                () -> tex.get().eval(Tensor.zeros(DType.I32, 2, 5)), "Texture2.eval()", "I32"));
        out.add(rejects("texels-2-d", "new Texture2(F32[4, 4])",
                () -> new Texture2(Tensor.zeros(DType.F32, 4, 4)), "new Texture2()", "[4, 4]", "[H, W, C]"));
        out.add(rejects("texels-empty-axis", "new Texture2(F32[4, 0, 3])",
                () -> new Texture2(Tensor.zeros(DType.F32, 4, 0, 3)), "new Texture2()", "[4, 0, 3]", "empty"));
        out.add(rejects("texels-integer", "new Texture2(I32[2, 2, 1])",
                () -> new Texture2(Tensor.zeros(DType.I32, 2, 2, 1)), "new Texture2()", "I32"));
    }

    private static ConformanceCase rejects(String name, String program, Runnable call, String... fragments) {
        return Checks.throwing(GROUP + "/bad-input/" + name, GROUP, program + " throws IllegalArgumentException naming "
                        + Arrays.toString(fragments),
                () -> {
                    try {
                        call.run();
                    } catch (IllegalArgumentException e) {
                        for (String f : fragments) {
                            if (e.getMessage() == null || !e.getMessage().contains(f)) {
                                throw new IllegalStateException("the message does not name '" + f + "': " + e);
                            }
                        }
                        throw e;
                    }
                }, IllegalArgumentException.class);
    }
}
