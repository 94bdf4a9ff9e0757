package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A generated element-wise program: a DAG of steps over inputs of shape {@code [N]} or
 * {@code [1]} (some of them slices of longer inputs), built on the device through the Tensor API
 * and evaluated independently on the host ({@link HostArithmetic}, {@link HostShapes}), with an
 * optional final {@code sum()}. Made by {@link ProgramGenerator}; run by {@link RandomPrograms}.
 *
 * @param steps  the nodes in order; each refers only to earlier ones
 * @param sum    whether the output (the last step) is summed
 * @param cuts   steps after which the split variant calls {@code eval()} (empty: none)
 */
public record RandomProgram(List<Step> steps, boolean sum, boolean[] cuts) {

    /** One node of the program. */
    public sealed interface Step {
        DType dtype();

        long[] shape();
    }

    /** An uploaded input, viewed as elements {@code from..to-1} (a slice if that is not all of it). */
    public record Input(Values values, int from, int to) implements Step {
        public DType dtype() {
            return values.dtype();
        }

        public long[] shape() {
            return new long[] {to - from};
        }
    }

    /** {@code op} on earlier steps; the API promotes mixed dtypes to {@code compute}. */
    public record Apply(ElementOp op, int[] args, DType compute, DType dtype, long[] shape) implements Step {}

    /** {@code x.op(scalar)}: a Java double that takes x's dtype. */
    public record Scalar(ElementOp op, int arg, double scalar, DType dtype, long[] shape) implements Step {}

    /** {@code x.to(dtype)}. */
    public record Cast(int arg, DType dtype, long[] shape) implements Step {}

    public RandomProgram {
        steps = List.copyOf(steps);
        cuts = cuts.clone();
    }

    /** The same program without the final {@code sum()}. */
    public RandomProgram withoutSum() {
        return new RandomProgram(steps, false, cuts);
    }

    /** The output step (the last one). */
    public Step output() {
        return steps.getLast();
    }

    /** Whether this program has a split variant (with {@code eval()} cuts). */
    public boolean hasCuts() {
        for (boolean c : cuts) {
            if (c) {
                return true;
            }
        }
        return false;
    }

    /** Builds the program on the current device; with {@code split}, evaluates at every cut. */
    public Tensor build(boolean split) {
        Tensor[] t = new Tensor[steps.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = switch (steps.get(i)) {
                case Input in -> {
                    Tensor full = DeviceIo.upload(in.values());
                    yield in.from() == 0 && in.to() == in.values().size() ? full : full.slice(0, in.from(), in.to());
                }
                case Apply a -> {
                    Tensor[] args = new Tensor[a.args().length];
                    for (int k = 0; k < args.length; k++) {
                        args[k] = t[a.args()[k]];
                    }
                    yield a.op().apply(args);
                }
                case Scalar s -> scalarOp(s.op(), t[s.arg()], s.scalar());
                case Cast c -> t[c.arg()].to(c.dtype());
            };
            if (split && cuts[i]) {
                t[i].eval();
            }
        }
        return sum ? t[t.length - 1].sum() : t[t.length - 1];
    }

    static Tensor scalarOp(ElementOp op, Tensor x, double s) {
        return switch (op) {
            case ADD -> x.add(s);
            case SUB -> x.sub(s);
            case MUL -> x.mul(s);
            case DIV -> x.div(s);
            case REM -> x.rem(s);
            case MIN -> x.min(s);
            case MAX -> x.max(s);
            case LT -> x.lt(s);
            case GT -> x.gt(s);
            case EQ -> x.eq(s);
            default -> throw new IllegalArgumentException(op + " has no scalar form");
        };
    }

    /** The value of every step, computed on the host. */
    public Values[] evaluateOnHost() {
        Values[] v = new Values[steps.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (steps.get(i)) {
                case Input in -> HostShapes.slice(in.values(), 0, in.from(), in.to());
                case Apply a -> apply(a, v);
                case Scalar s -> {
                    Values x = v[s.arg()];
                    long bits = HostArithmetic.cast(DType.F64, x.dtype(), Double.doubleToRawLongBits(s.scalar()));
                    yield HostShapes.map(s.op(), x.dtype(), x, new Values(x.dtype(), new long[] {1}, new long[] {bits}));
                }
                case Cast c -> cast(v[c.arg()], c.dtype());
            };
        }
        return v;
    }

    private static Values apply(Apply a, Values[] v) {
        int[] args = a.args();
        Values[] in = new Values[args.length];
        for (int k = 0; k < args.length; k++) {
            boolean mask = a.op() == ElementOp.WHERE && k == 0;
            boolean count = (a.op() == ElementOp.SHL || a.op() == ElementOp.SHR) && k == 1;
            in[k] = mask ? v[args[k]] : cast(v[args[k]], count ? v[args[0]].dtype() : a.compute());
        }
        return HostShapes.map(a.op(), a.compute(), in);
    }

    static Values cast(Values v, DType to) {
        if (v.dtype() == to) {
            return v;
        }
        long[] b = new long[v.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = HostArithmetic.cast(v.dtype(), to, v.bits()[i]);
        }
        return new Values(to, v.shape(), b);
    }

    /** The program as code, one step per line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            sb.append("\n  v").append(i).append(" = ");
            switch (steps.get(i)) {
                case Input in -> sb.append("input ").append(in.values().summary())
                        .append(in.from() == 0 && in.to() == in.values().size() ? ""
                                : ".slice(0, " + in.from() + ", " + in.to() + ")");
                case Apply a -> {
                    int[] x = a.args();
                    sb.append(switch (a.op()) {
                        case WHERE -> "where(v" + x[0] + ", v" + x[1] + ", v" + x[2] + ")";
                        case FMA -> "v" + x[0] + ".fma(v" + x[1] + ", v" + x[2] + ")";
                        default -> x.length == 1 ? "v" + x[0] + "." + a.op().method() + "()"
                                : "v" + x[0] + "." + a.op().method() + "(v" + x[1] + ")";
                    });
                }
                case Scalar s -> sb.append("v").append(s.arg()).append(".").append(s.op().method()).append("(")
                        .append(s.scalar()).append(")");
                case Cast c -> sb.append("v").append(c.arg()).append(".to(").append(c.dtype()).append(")");
            }
            Step s = steps.get(i);
            sb.append("   // ").append(s.dtype()).append(Arrays.toString(s.shape()));
            if (cuts[i]) {
                sb.append(" [eval() in the split variant]");
            }
        }
        if (sum) {
            sb.append("\n  out = v").append(steps.size() - 1).append(".sum()");
        }
        return sb.toString();
    }
}
