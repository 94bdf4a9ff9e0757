package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The machinery of gradient cases. On the device: the inputs are uploaded as leaves (the float
 * ones require gradients), the program runs, its result is weighted by host-known weights and
 * summed, {@code backward()} runs, and the gradients of the float leaves are read back flattened
 * and concatenated in input order. On the host: the expected gradients as a {@link Gradients},
 * an exact double value and an error bound per element.
 *
 * <p>The weighted sum makes the upstream gradient of the program's result exactly the weights
 * ({@code sum}'s rule passes 1, {@code mul}'s multiplies it by the weights), so every element of
 * a gradient is checked against {@code weights * derivative} and not only against the derivative.
 */
final class GradientPrograms {
    private GradientPrograms() {}

    /** A program over leaf tensors. */
    @FunctionalInterface
    interface Program {
        Tensor apply(Tensor[] leaves);
    }

    /** The gradients of the float leaves for {@code loss = sum(program(leaves) * weights)}. */
    static Tensor gradients(Values[] inputs, Values weights, Program program) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = DeviceIo.upload(inputs[i]);
            if (inputs[i].dtype().isFloat()) {
                x[i].requiresGrad(true);
            }
        }
        program.apply(x).mul(DeviceIo.upload(weights)).sum().backward();
        List<Tensor> grads = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (inputs[i].dtype().isFloat()) {
                grads.add(x[i].grad().reshape(-1));
            }
        }
        return grads.size() == 1 ? grads.get(0) : Tensor.concat(0, grads.toArray(Tensor[]::new));
    }

    /** A case: inputs and weights made when it runs, the gradients on the device, {@code host} on the host. */
    static ConformanceCase gradientCase(String id, String group, ResultClass resultClass, String program,
                                        Supplier<Values[]> inputsThenWeights, Program device,
                                        Function<Values[], Gradients> host, Tag... tags) {
        return Checks.program(id, group, resultClass, program, inputsThenWeights,
                in -> gradients(java.util.Arrays.copyOf(in, in.length - 1), in[in.length - 1], device),
                in -> host.apply(in).expected(), tags);
    }

    /** The host gradient of a two-operand op at one element: append the first operand's, then the second's. */
    @FunctionalInterface
    interface PairRule {
        void apply(double a, double b, double w, Gradients g);
    }

    /**
     * For inputs {@code a, b} and weights {@code w} (the first three of {@code in}), the first
     * operand's gradient at every element, then the second's: the order in which
     * {@link #gradients} concatenates them.
     */
    static Gradients pairs(DType t, Values[] in, PairRule rule) {
        double[] a = doubles(in[0]);
        double[] b = doubles(in[1]);
        double[] w = doubles(in[2]);
        Gradients first = new Gradients(t);
        Gradients second = new Gradients(t);
        for (int i = 0; i < a.length; i++) {
            Gradients both = new Gradients(t);
            rule.apply(a[i], b[i], w[i], both);
            both.copyTo(0, first);
            both.copyTo(1, second);
        }
        return first.append(second);
    }

    /** {@code n} values of {@code t} drawn uniformly from [lo, hi] and rounded to {@code t}. */
    static Values uniform(DType t, SplittableRandom r, double lo, double hi, long... shape) {
        int n = (int) HostShapes.numel(shape);
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
            double v = lo + (hi - lo) * r.nextDouble();
            bits[i] = switch (t) {
                case F64 -> Double.doubleToRawLongBits(v);
                case F32 -> Float.floatToRawIntBits((float) v);
                case F16 -> Float.floatToFloat16((float) v) & 0xFFFFL;
                default -> throw new IllegalArgumentException("uniform(): float dtypes only, not " + t);
            };
        }
        return new Values(t, shape, bits);
    }

    /** The exact values of {@code v} as doubles. */
    static double[] doubles(Values v) {
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = v.value(i);
        }
        return d;
    }

    /** The spacing of {@code t} at 1 (2^-23 for F32): the unit of the relative bounds. */
    static double eps(DType t) {
        return switch (t) {
            case F16 -> 0x1p-10;
            case F32 -> 0x1p-23;
            default -> 0x1p-52;
        };
    }

    /** {@code v} rounded to {@code t} (correctly, as the device rounds one operation). */
    static double round(DType t, double v) {
        return Expected.round(t, v);
    }

    static Tag[] tags(DType t, Tag... more) {
        Set<Tag> s = EnumSet.of(Tag.of(t));
        s.addAll(List.of(more));
        return s.toArray(Tag[]::new);
    }
}
