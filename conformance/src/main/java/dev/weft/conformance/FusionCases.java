package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The same program in one kernel or several: each program is evaluated once fused and once with
 * {@code eval()} after every marked intermediate. For bit-exact and polynomial result classes
 * the two must be identical bit for bit, and both must match the host (exactly, or within an
 * ulp bound for chains of transcendentals). Also several outputs evaluated together
 * ({@code Weft.eval}, {@code schedule()}) against each alone.
 */
public final class FusionCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "fusion";
    private static final int N = 1031;

    /** A program over three inputs; {@code cut} marks where the split variant evaluates. */
    @FunctionalInterface
    interface Program {
        Tensor build(Tensor x, Tensor y, Tensor z, UnaryOperator<Tensor> cut);
    }

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        out.add(fused("f32-arithmetic", DType.F32, "cut(cut(x*y)+z).sqrt().sub(x).div(y)",
                (x, y, z, cut) -> cut.apply(cut.apply(x.mul(y)).add(z)).sqrt().sub(x).div(y),
                v -> map(ElementOp.DIV, map(ElementOp.SUB, map(ElementOp.SQRT,
                        map(ElementOp.ADD, map(ElementOp.MUL, v[0], v[1]), v[2])), v[0]), v[1])));
        out.add(fused("f16-arithmetic", DType.F16, "cut(x+y).mul(z).sub(cut(x.min(z)))",
                (x, y, z, cut) -> cut.apply(x.add(y)).mul(z).sub(cut.apply(x.min(z))),
                v -> map(ElementOp.SUB, map(ElementOp.MUL, map(ElementOp.ADD, v[0], v[1]), v[2]),
                        map(ElementOp.MIN, v[0], v[2]))));
        out.add(fused("u32-hash", DType.U32, "cut(x.mul(2654435761)).xor(cut(x.shiftRight(16))).add(y).fma(z, x)",
                (x, y, z, cut) -> cut.apply(x.mul(2654435761.0)).xor(cut.apply(x.shiftRight(16))).add(y).fma(z, x),
                v -> {
                    Values k = new Values(DType.U32, new long[] {1}, new long[] {2654435761L});
                    Values sixteen = new Values(DType.U32, new long[] {1}, new long[] {16});
                    Values h = map(ElementOp.ADD, map(ElementOp.XOR, map(ElementOp.MUL, v[0], k),
                            map(ElementOp.SHR, v[0], sixteen)), v[1]);
                    return map(ElementOp.FMA, h, v[2], v[0]);
                }));
        out.add(fused("f64-casts", DType.F64, "cut(x.to(F32)).to(F64).add(cut(y.to(I32)).to(F64)).max(z)",
                (x, y, z, cut) -> cut.apply(x.to(DType.F32)).to(DType.F64).add(cut.apply(y.to(DType.I32)).to(DType.F64)).max(z),
                v -> map(ElementOp.MAX, map(ElementOp.ADD, cast(cast(v[0], DType.F32), DType.F64),
                        cast(cast(v[1], DType.I32), DType.F64)), v[2])));
        out.add(fused("i32-where-compare", DType.I32, "where(cut(x.lt(y)), cut(x.sub(z)), y.rem(z))",
                (x, y, z, cut) -> Tensor.where(cut.apply(x.lt(y)), cut.apply(x.sub(z)), y.rem(z)),
                v -> map(ElementOp.WHERE, map(ElementOp.LT, v[0], v[1]), map(ElementOp.SUB, v[0], v[2]),
                        map(ElementOp.REM, v[1], v[2]))));
        out.add(transcendentalChain());
        out.add(evaluatedTogether());
        return out;
    }

    private static Values map(ElementOp op, Values... in) {
        DType t = op == ElementOp.WHERE ? in[1].dtype() : in[0].dtype();
        return HostShapes.map(op, t, in);
    }

    private static Values cast(Values v, DType to) {
        long[] b = new long[v.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = HostArithmetic.cast(v.dtype(), to, v.bits()[i]);
        }
        return new Values(to, v.shape(), b);
    }

    private static Values[] inputs(String id, DType t) {
        SplittableRandom r = new SplittableRandom(id.hashCode());
        return new Values[] {SampleValues.random(t, N, r), SampleValues.random(t, N, r), SampleValues.random(t, N, r)};
    }

    private static Tensor run(Program p, Values[] in, UnaryOperator<Tensor> cut) {
        return p.build(DeviceIo.upload(in[0]), DeviceIo.upload(in[1]), DeviceIo.upload(in[2]), cut);
    }

    private static ConformanceCase fused(String name, DType t, String text, Program p, Function<Values[], Values> host) {
        String id = GROUP + "/" + name;
        Values[] in = inputs(id, t);
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.of(t)), ResultClass.BIT_EXACT, text + " over " + t + "[" + N
                + "], fused and with eval() at every cut", device -> {
                    Values fused = DeviceIo.read(run(p, in, c -> c));
                    Values split = DeviceIo.read(run(p, in, Tensor::eval));
                    Expected e = new Expected.Exact(host.apply(in));
                    return e.compare(fused).withContext("fused:")
                            .then(() -> e.compare(split).withContext("with eval() at every cut:"))
                            .then(() -> CrossBackend.identical(device, () -> run(p, in, c -> c), fused));
                });
    }

    /** tanh(sin(x) * exp(y)): split equals fused bit for bit; both within 4 ulp of StrictMath. */
    private static ConformanceCase transcendentalChain() {
        String id = GROUP + "/f32-transcendental-chain";
        SplittableRandom r = new SplittableRandom(id.hashCode());
        float[] x = new float[N];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextDouble(-10, 10);
            y[i] = (float) r.nextDouble(-3, 3);
        }
        Program p = (a, b, c, cut) -> cut.apply(cut.apply(a.sin()).mul(cut.apply(b.exp()))).tanh();
        Values[] in = {Values.ofFloats(x), Values.ofFloats(y), Values.ofFloats(new float[N])};
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.F32), ResultClass.POLYNOMIAL,
                "cut(cut(x.sin()).mul(cut(y.exp()))).tanh() over F32[" + N + "]", device -> {
                    Values fused = DeviceIo.read(run(p, in, c -> c));
                    Values split = DeviceIo.read(run(p, in, Tensor::eval));
                    double[] exact = new double[N];
                    for (int i = 0; i < N; i++) {
                        exact[i] = StrictMath.tanh(StrictMath.sin(x[i]) * StrictMath.exp(y[i]));
                    }
                    return new Expected.Exact(fused).compare(split).withContext("split differs from fused (expected = fused):")
                            .then(() -> new Expected.Ulps(DType.F32, new long[] {N}, exact, 4).compare(fused))
                            .then(() -> CrossBackend.identical(device, () -> run(p, in, c -> c), fused));
                });
    }

    /** Two outputs: Weft.eval(a, b) together, schedule() then read, each alone: all the same bits. */
    private static ConformanceCase evaluatedTogether() {
        String id = GROUP + "/several-outputs";
        Values[] in = inputs(id, DType.F32);
        return new ConformanceCase(id, GROUP, EnumSet.of(Tag.F32), ResultClass.BIT_EXACT,
                "a = x.mul(y), b = x.fma(y, z): Weft.eval(a, b); a.schedule() then b read; each alone", device -> {
                    Expected ea = new Expected.Exact(map(ElementOp.MUL, in[0], in[1]));
                    Expected eb = new Expected.Exact(map(ElementOp.FMA, in[0], in[1], in[2]));
                    Tensor x = DeviceIo.upload(in[0]);
                    Tensor y = DeviceIo.upload(in[1]);
                    Tensor z = DeviceIo.upload(in[2]);
                    Tensor a1 = x.mul(y);
                    Tensor b1 = x.fma(y, z);
                    Weft.eval(a1, b1);
                    Tensor a2 = x.mul(y).schedule();
                    Values b2 = DeviceIo.read(x.fma(y, z));
                    return ea.compare(DeviceIo.read(a1)).withContext("Weft.eval(a, b), a:")
                            .then(() -> eb.compare(DeviceIo.read(b1)).withContext("Weft.eval(a, b), b:"))
                            .then(() -> eb.compare(b2).withContext("b read while a was scheduled:"))
                            .then(() -> ea.compare(DeviceIo.read(a2)).withContext("a scheduled, read after b:"))
                            .then(() -> ea.compare(DeviceIo.read(x.mul(y))).withContext("a alone:"));
                });
    }
}
