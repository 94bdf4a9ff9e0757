package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Every element-wise op of {@link ElementOp} on every dtype it applies to, every conversion
 * between two dtypes, ops with a Java scalar operand, and mixed-dtype promotion. Inputs are all
 * pairs of {@link SampleValues#specials special values} plus random ones (fixed seeds); the
 * expected bits come from {@link HostArithmetic}. All bit-exact.
 */
public final class ElementwiseCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "elementwise";
    private static final int RANDOM = 64;

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (ElementOp op : ElementOp.values()) {
            for (DType t : DType.values()) {
                if (op.appliesTo(t)) {
                    out.add(opCase(op, t));
                }
            }
        }
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                if (from != to) {
                    out.add(castCase(from, to));
                }
            }
        }
        for (ElementOp op : List.of(ElementOp.ADD, ElementOp.SUB, ElementOp.MUL, ElementOp.DIV, ElementOp.MIN,
                ElementOp.MAX, ElementOp.LT, ElementOp.EQ)) {
            for (DType t : DType.values()) {
                if (t != DType.BOOL) {
                    out.add(scalarCase(op, t));
                }
            }
        }
        for (DType a : DType.values()) {
            for (DType b : DType.values()) {
                if (a != b && (a.isFloat() || b.isFloat() || a.isUnsigned() == b.isUnsigned()
                        || a == DType.BOOL || b == DType.BOOL)) {
                    out.add(promotionCase(a, b));
                }
            }
        }
        return out;
    }

    /** The operands of {@code op} on {@code t}: all combinations of special values, then random ones. */
    static Values[] operands(ElementOp op, DType t, SplittableRandom r) {
        long[] s = SampleValues.specials(t);
        int arity = op.arity();
        int combos = arity == 1 ? s.length : arity == 2 ? s.length * s.length : 0;
        int n = combos + (arity == 3 ? 8 * RANDOM : RANDOM);
        long[][] cols = new long[arity][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < arity; k++) {
                DType kt = op == ElementOp.WHERE && k == 0 ? DType.BOOL : t;
                cols[k][i] = i >= combos ? SampleValues.random(kt, r)
                        : k == 0 ? s[arity == 1 ? i : i / s.length] : s[i % s.length];
            }
        }
        Values[] out = new Values[arity];
        for (int k = 0; k < arity; k++) {
            out[k] = new Values(op == ElementOp.WHERE && k == 0 ? DType.BOOL : t, new long[] {n}, cols[k]);
        }
        return out;
    }

    static Values expected(ElementOp op, DType t, Values[] in) {
        int n = in[0].size();
        long[] b = new long[n];
        long[] args = new long[in.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < in.length; k++) {
                args[k] = in[k].bits()[i];
            }
            b[i] = HostArithmetic.apply(op, t, args);
        }
        return new Values(op.resultType(t), in[0].shape(), b);
    }

    private static Tensor[] upload(Values[] in) {
        Tensor[] t = new Tensor[in.length];
        for (int k = 0; k < in.length; k++) {
            t[k] = DeviceIo.upload(in[k]);
        }
        return t;
    }

    private static ConformanceCase opCase(ElementOp op, DType t) {
        String id = GROUP + "/" + op.method() + "/" + t;
        Values[] in = operands(op, t, new SplittableRandom(id.hashCode()));
        String program = (op == ElementOp.WHERE ? "where(m, x, y)" : op.arity() == 1 ? "x." + op.method() + "()"
                : op == ElementOp.FMA ? "x.fma(y, z)" : "x." + op.method() + "(y)") + " over " + t + "["
                + in[0].size() + "]: every combination of special values, then random ones";
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, program, () -> op.apply(upload(in)),
                () -> new Expected.Exact(expected(op, t, in)), Tag.of(t));
    }

    private static ConformanceCase castCase(DType from, DType to) {
        String id = GROUP + "/to/" + from + "->" + to;
        SplittableRandom r = new SplittableRandom(id.hashCode());
        long[] s = SampleValues.specials(from);
        long[] b = Arrays.copyOf(s, s.length + RANDOM);
        for (int i = s.length; i < b.length; i++) {
            b[i] = SampleValues.random(from, r);
        }
        Values in = new Values(from, new long[] {b.length}, b);
        long[] e = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            e[i] = HostArithmetic.cast(from, to, b[i]);
        }
        Values expected = new Values(to, in.shape(), e);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "x.to(" + to + ") over special and random " + from
                + " values", () -> DeviceIo.upload(in).to(to), () -> new Expected.Exact(expected),
                Checks.tags(new DType[] {from, to}));
    }

    /** Scalars that are exact in every dtype, and (for floats) ones that round or overflow. */
    private static double[] scalars(DType t) {
        return t.isFloat() ? new double[] {3, -2.5, 0.1, 1e-30, 70000} : new double[] {3, 0, 40};
    }

    private static ConformanceCase scalarCase(ElementOp op, DType t) {
        String id = GROUP + "/scalar/" + op.method() + "/" + t;
        Values x = operands(ElementOp.NEG, t, new SplittableRandom(id.hashCode()))[0];
        double[] scalars = scalars(t);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "concat(x." + op.method() + "(s) for s in "
                + Arrays.toString(scalars) + "): a Java scalar takes the tensor's dtype (one rounding from double)",
                () -> {
                    Tensor xt = DeviceIo.upload(x);
                    Tensor[] parts = new Tensor[scalars.length];
                    for (int k = 0; k < scalars.length; k++) {
                        parts[k] = scalarOp(op, xt, scalars[k]);
                    }
                    return Tensor.concat(0, parts);
                },
                () -> {
                    long[] e = new long[x.size() * scalars.length];
                    for (int k = 0; k < scalars.length; k++) {
                        long s = HostArithmetic.cast(DType.F64, t, Double.doubleToRawLongBits(scalars[k]));
                        for (int i = 0; i < x.size(); i++) {
                            e[k * x.size() + i] = HostArithmetic.apply(op, t, x.bits()[i], s);
                        }
                    }
                    return new Expected.Exact(new Values(op.resultType(t), new long[] {e.length}, e));
                }, Tag.of(t));
    }

    private static Tensor scalarOp(ElementOp op, Tensor x, double s) {
        return switch (op) {
            case ADD -> x.add(s);
            case SUB -> x.sub(s);
            case MUL -> x.mul(s);
            case DIV -> x.div(s);
            case MIN -> x.min(s);
            case MAX -> x.max(s);
            case LT -> x.lt(s);
            case EQ -> x.eq(s);
            default -> throw new IllegalArgumentException(op + " has no scalar form here");
        };
    }

    /** {@code a op b} for operands of two dtypes: both convert to the promoted dtype, then the op. */
    private static ConformanceCase promotionCase(DType a, DType b) {
        DType t = HostArithmetic.promote(a, b);
        ElementOp op = t == DType.BOOL ? ElementOp.MAX : ElementOp.ADD;
        String id = GROUP + "/promotion/" + op.method() + "/" + a + "+" + b;
        SplittableRandom r = new SplittableRandom(id.hashCode());
        Values x = SampleValues.random(a, RANDOM, r);
        Values y = SampleValues.random(b, RANDOM, r);
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, "x." + op.method() + "(y) with x " + a + ", y " + b
                        + ": computes in " + t, () -> op.apply(DeviceIo.upload(x), DeviceIo.upload(y)),
                () -> {
                    long[] e = new long[RANDOM];
                    for (int i = 0; i < RANDOM; i++) {
                        e[i] = HostArithmetic.apply(op, t, HostArithmetic.cast(a, t, x.bits()[i]),
                                HostArithmetic.cast(b, t, y.bits()[i]));
                    }
                    return new Expected.Exact(new Values(t, new long[] {RANDOM}, e));
                }, Checks.tags(new DType[] {a, b}));
    }
}
