package dev.weft;

import dev.weft.ir.Op;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The vector-Jacobian rule of every differentiable tensor operation, next to the call that
 * computes its value. {@link Tensor}'s public methods come here; {@link Autodiff#op} records a
 * rule only when an input requires gradients. Cotangents are written in the output's shape;
 * {@link Backprop#fit} sums them over broadcast axes and casts them to each input.
 *
 * <p>Ties follow the reference's tensor mode (reference-semantics.md §4.5): {@code min} gives
 * the gradient to {@code a} where {@code a <= b}, {@code max} where {@code a > b}, otherwise to
 * {@code b}. Rounding ops ({@code floor}, {@code round}...), comparisons and integer results
 * carry no gradient.
 */
final class Derivatives {
    private static final double LN2 = Math.log(2);

    private Derivatives() {}

    static Tensor binary(String name, Op code, Tensor a, Tensor b) {
        return Autodiff.op(name, () -> Elementwise.binary(name, code, a, b), switch (code) {
            case ADD -> (g, y, out) -> {
                out.add(0, g);
                out.add(1, g);
            };
            case SUB -> (g, y, out) -> {
                out.add(0, g);
                out.add(1, g.neg());
            };
            case MUL -> (g, y, out) -> {
                out.add(0, g.mul(b));
                out.add(1, g.mul(a));
            };
            case DIV -> (g, y, out) -> {
                out.add(0, g.div(b));
                out.add(1, g.mul(y).div(b).neg());
            };
            case REM -> (g, y, out) -> {
                out.add(0, g);
                out.add(1, g.mul(a.div(b).trunc()).neg());
            };
            case MIN -> (g, y, out) -> split(a.le(b), g, out);
            case MAX -> (g, y, out) -> split(a.gt(b), g, out);
            default -> (g, y, out) -> { }; // integer ops: their results are never recorded
        }, a, b);
    }

    /** {@code g} to input 0 where {@code mask} holds, to input 1 elsewhere. */
    private static void split(Tensor mask, Tensor g, Backprop.Sink out) {
        Tensor zero = g.value.scalarLike("backward()", 0);
        out.add(0, Tensor.where(mask, g, zero));
        out.add(1, Tensor.where(mask, zero, g));
    }

    static Tensor unary(String name, Op code, Tensor a, Supplier<Tensor> primal) {
        Autodiff.SimpleRule rule = switch (code) {
            case NEG -> (g, y, out) -> out.add(0, g.neg());
            case ABS -> (g, y, out) -> {
                Tensor zero = g.value.scalarLike("backward()", 0);
                out.add(0, Tensor.where(a.gt(0), g, Tensor.where(a.lt(0), g.neg(), zero)));
            };
            case SQRT -> (g, y, out) -> out.add(0, g.div(y.mul(2)));
            case EXP -> (g, y, out) -> out.add(0, g.mul(y));
            case EXP2 -> (g, y, out) -> out.add(0, g.mul(y).mul(LN2));
            case LOG -> (g, y, out) -> out.add(0, g.div(a));
            case LOG2 -> (g, y, out) -> out.add(0, g.div(a.mul(LN2)));
            case SIN -> (g, y, out) -> out.add(0, g.mul(a.cos()));
            case COS -> (g, y, out) -> out.add(0, g.mul(a.sin()).neg());
            case TANH -> (g, y, out) -> out.add(0, g.mul(y.mul(y).sub(1).neg()));
            default -> null;
        };
        // rounding and bitwise ops have no gradient: their results are not recorded
        return rule == null ? primal.get() : Autodiff.op(name, primal, rule, a);
    }

    static Tensor rsqrt(Tensor a, Supplier<Tensor> primal) {
        return Autodiff.op("rsqrt()", primal, (g, y, out) -> out.add(0, g.mul(y).div(a).mul(-0.5)), a);
    }

    static Tensor sigmoid(Tensor a, Supplier<Tensor> primal) {
        return Autodiff.op("sigmoid()", primal, (g, y, out) -> out.add(0, g.mul(y).mul(y.neg().add(1))), a);
    }

    static Tensor fma(Tensor a, Tensor b, Tensor c) {
        return Autodiff.op("fma()", () -> Elementwise.fma(a, b, c), (g, y, out) -> {
            out.add(0, g.mul(b));
            out.add(1, g.mul(a));
            out.add(2, g);
        }, a, b, c);
    }

    static Tensor pow(Tensor a, Tensor b) {
        return Autodiff.op("pow()", () -> Elementwise.pow(a, b), (g, y, out) -> {
            if (out.input(0) != null) {
                out.add(0, g.mul(b).mul(a.pow(b.sub(1))));
            }
            if (out.input(1) != null) {
                out.add(1, g.mul(y).mul(a.log()));
            }
        }, a, b);
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return Autodiff.op("where()", () -> Elementwise.where(mask, a, b), (g, y, out) -> {
            Tensor zero = g.value.scalarLike("backward()", 0);
            out.add(1, Tensor.where(mask, g, zero));
            out.add(2, Tensor.where(mask, zero, g));
        }, mask, a, b);
    }

    /** Casts and device moves: the cotangent goes back as it is ({@link Backprop#fit} converts it). */
    static Tensor passThrough(String name, Tensor a, Supplier<Tensor> primal) {
        return Autodiff.op(name, primal, (g, y, out) -> out.add(0, g), a);
    }

    static Tensor gather(Tensor source, Tensor index) {
        return Autodiff.op("gather()", () -> Indexing.gather(source, index), (g, y, out) ->
                out.addInto(0, buffer -> Indexing.scatterAddInto(buffer, index, g)), source, index);
    }

    static Tensor scatterAdd(Tensor target, Tensor index, Tensor values) {
        return Autodiff.op("scatterAdd()", () -> Indexing.scatterAdd(target, index, values), (g, y, out) -> {
            out.add(0, g);
            if (out.input(2) != null) {
                out.add(2, g.gather(index));
            }
        }, target, index, values);
    }

    static Tensor slice(Tensor a, int axis, long from, long to) {
        return Autodiff.op("slice()", () -> Views.slice(a, axis, from, to), (g, y, out) ->
                out.add(0, pad(g, Shapes.axis("slice()", axis, a.rank()), from, a.value.shape)), a);
    }

    static Tensor get(Tensor a, long i) {
        return Autodiff.op("get()", () -> Views.get(a, i), (g, y, out) -> {
            long[] s = a.value.shape.clone();
            s[0] = 1;
            out.add(0, pad(g.reshape(s), 0, i, a.value.shape));
        }, a);
    }

    /** {@code g} placed at {@code from} along {@code axis} of zeros of {@code shape}. */
    private static Tensor pad(Tensor g, int axis, long from, long[] shape) {
        long len = g.value.shape[axis];
        long after = shape[axis] - from - len;
        if (from == 0 && after == 0) {
            return g;
        }
        long[] before = g.value.shape.clone();
        before[axis] = from;
        long[] rest = g.value.shape.clone();
        rest[axis] = after;
        Tensor[] parts = Arrays.stream(new Tensor[] {
                from > 0 ? TensorValue.fullOn(g.device(), g.dtype(), 0, before) : null, g,
                after > 0 ? TensorValue.fullOn(g.device(), g.dtype(), 0, rest) : null})
                .filter(Objects::nonNull).toArray(Tensor[]::new);
        return Concat.of(axis, parts);
    }

    static Tensor reshape(Tensor a, long[] shape) {
        Objects.requireNonNull(shape, "reshape(): the new shape is null; pass its dimensions, as in reshape(2, -1)");
        return Autodiff.op("reshape()", () -> Views.reshape(a, shape),
                (g, y, out) -> out.add(0, g.reshape(a.value.shape)), a);
    }

    static Tensor transpose(Tensor a) {
        return Autodiff.op("transpose()", () -> Views.transpose(a), (g, y, out) -> out.add(0, g.transpose()), a);
    }

    static Tensor concat(int axis, Tensor[] tensors) {
        return Autodiff.op("concat()", () -> Concat.of(axis, tensors), (g, y, out) -> {
            int a = Shapes.axis("concat()", axis, tensors[0].rank());
            long at = 0;
            for (int i = 0; i < tensors.length; i++) {
                long len = tensors[i].value.shape[a];
                if (out.input(i) != null) {
                    out.add(i, g.slice(a, at, at + len));
                }
                at += len;
            }
        }, tensors);
    }

    static Tensor meshgrid(Tensor x, Tensor y) {
        return Autodiff.op("meshgrid()", () -> Creation.meshgrid(x, y), (g, r, out) -> {
            long nx = x.value.shape[0];
            long ny = y.value.shape[0];
            out.add(0, g.get(0).reshape(ny, nx).sum(0));
            out.add(1, g.get(1).reshape(ny, nx).sum(1));
        }, x, y);
    }

    static Tensor sum(Tensor a) {
        return Autodiff.op("sum()", () -> Reductions.sum(a), (g, y, out) -> out.add(0, g), a);
    }

    static Tensor sum(Tensor a, int axis) {
        return Autodiff.op("sum()", () -> Reductions.sum(a, axis), (g, y, out) ->
                out.add(0, g.reshape(keepDims(a, axis))), a);
    }

    static Tensor mean(Tensor a) {
        return Autodiff.op("mean()", () -> Reductions.mean(a), (g, y, out) -> out.add(0, g.div(a.numel())), a);
    }

    static Tensor mean(Tensor a, int axis) {
        return Autodiff.op("mean()", () -> Reductions.mean(a, axis), (g, y, out) -> {
            long[] keep = keepDims(a, axis);
            out.add(0, g.reshape(keep).div(a.value.shape[Shapes.axis("mean()", axis, a.rank())]));
        }, a);
    }

    static Tensor max(Tensor a) {
        return Autodiff.op("max()", () -> Reductions.max(a), (g, y, out) ->
                out.add(0, Tensor.where(a.eq(y), g, g.value.scalarLike("backward()", 0))), a);
    }

    private static long[] keepDims(Tensor a, int axis) {
        long[] keep = a.value.shape.clone();
        keep[Shapes.axis("sum()", axis, a.rank())] = 1;
        return keep;
    }

    /**
     * {@code C = op(a) op(b)}: the adjoint of {@code op(a)} is {@code g op(b)^T} and that of
     * {@code op(b)} is {@code op(a)^T g}, each transposed back where its operand was read transposed.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return Autodiff.op("matmul()", () -> MatMul.of(a, b, transA, transB), (g, y, out) -> {
            if (out.input(0) != null) {
                out.add(0, transA ? MatMul.of(b, g, transB, true) : MatMul.of(g, b, false, !transB));
            }
            if (out.input(1) != null) {
                out.add(1, transB ? MatMul.of(g, a, true, transA) : MatMul.of(a, g, !transA, false));
            }
        }, a, b);
    }

    /** {@code to(Device)}: a copy on {@code target} (evaluates first), differentiable. */
    static Tensor toDevice(Tensor t, Device target) {
        Objects.requireNonNull(target, "to(): device");
        t.value.checkUsable("to()");
        target.checkOpen("to()");
        if (target == t.device()) {
            return t;
        }
        return passThrough("to()", t, () -> t.value.copyTo(target));
    }

    /** The value of {@code t} without gradient tracking (shares its nodes or buffer). */
    static Tensor detach(Tensor t) {
        t.value.checkUsable("detach()");
        Tensor d = t.alias();
        d.setAd(null);
        return d;
    }
}
