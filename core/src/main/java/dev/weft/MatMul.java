package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;

/**
 * Tensor-mode matrix products: {@code [M, K] x [K, N]}, or batched {@code [B, M, K] x [B, K, N]},
 * accumulated in F32 (F64 for F64) and rounded once per output. How depends on the shape, so
 * that code written {@code [batch, features]} costs what the same code written {@code [features,
 * batch]} does (DESIGN.md "Tensors, lanes and components"):
 * <ul>
 *   <li>a short inner dimension (a linear model's features) is {@code K} lazy multiply-adds
 *       ({@code fma} in {@code k} order) that fuse into the kernel computing the operands and
 *       the product's users;
 *   <li>a small result with a long inner dimension (the gradient of such a model's weights) is
 *       one lane reduction per output element, in the kernel of the operands;
 *   <li>anything else is the backend's {@code gemm}, a pending effect over the operands'
 *       scheduled buffers.
 * </ul>
 */
final class MatMul {
    private MatMul() {}

    static Tensor of(Tensor a, Tensor b) {
        return of(a, b, false, false);
    }

    /**
     * {@code op(a) @ op(b)}, where {@code op} transposes the last two axes when its flag is set
     * (the adjoints of a product need {@code g @ b^T} and {@code a^T @ g}; the gemm reads the
     * operands transposed, nothing is copied).
     */
    static Tensor of(Tensor a, Tensor b, boolean transA, boolean transB) {
        String op = "matmul()";
        TensorValue.checkOperands(op, a, b);
        long[] x = a.value.shape;
        long[] y = b.value.shape;
        checkArgument((x.length == 2 && y.length == 2) || (x.length == 3 && y.length == 3),
                "matmul(): shapes %s and %s; matmul takes two 2-D tensors, or two 3-D tensors batched over axis 0 "
                        + "(reshape a vector to [1, K] or [K, 1])", Shapes.str(x), Shapes.str(y));
        DType t = Promotion.of(op, a.dtype(), b.dtype());
        checkArgument(t.isFloat(), "matmul(): %s tensors; matmul computes in floats, convert with to(DType.F32)", t);
        int batched = x.length - 2;
        long batch = batched == 1 ? x[0] : 1;
        checkArgument(batched == 0 || x[0] == y[0], "matmul(): batch sizes %s and %s differ", x[0],
                batched == 1 ? y[0] : 0);
        long m = x[batched + (transA ? 1 : 0)];
        long k = x[batched + (transA ? 0 : 1)];
        long n = y[batched + (transB ? 0 : 1)];
        long kb = y[batched + (transB ? 1 : 0)];
        checkArgument(k == kb, "matmul(): %s x %s: the inner dimensions %s and %s differ; the left operand's "
                + "columns must equal the right operand's rows", Shapes.str(x), Shapes.str(y), k, kb);
        long[] rs = batched == 1 ? new long[] {batch, m, n} : new long[] {m, n};
        rs = Shapes.checked(op, rs);
        if (Shapes.numel(rs) == 0 || k == 0) {
            return TensorValue.fullOn(a.device(), t, 0, rs);
        }
        Tensor left = transA ? a.transpose() : a;
        Tensor right = transB ? b.transpose() : b;
        if (batched == 0 && k <= LAZY_K && k * (Shapes.isFlat(rs) ? 1 : m) <= LAZY_TERMS) {
            return lazyProduct(left, right, t, (int) k);
        }
        if (batched == 0 && m * n <= REDUCED_OUTPUTS) {
            return laneSums(left, right, t, rs);
        }
        Tensor ea = a.to(t).schedule();
        Tensor eb = b.to(t).schedule();
        Buffer c = TensorValue.newBuffer(a.device(), t, Shapes.numel(rs));
        Scheduler.record(new Effect.Gemm((int) batch, transA, transB, (int) m, (int) n, (int) k,
                ea.value.backing(), 0, eb.value.backing(), 0, c, 0));
        return TensorValue.fromBuffer(c, rs, a.device());
    }

    /** The longest inner dimension a product takes as lazy multiply-adds. */
    static final long LAZY_K = 8;

    /** ...and the most multiply-add nodes it then makes ({@code K} per node of the result). */
    static final long LAZY_TERMS = 64;

    /** A product with a long inner dimension is lane reductions when it has this many elements at most. */
    static final long REDUCED_OUTPUTS = 16;

    /** The type products accumulate in: F32 for F16, else the type. */
    private static DType accumulation(DType t) {
        return t == DType.F16 ? DType.F32 : t;
    }

    /** {@code sum_k left[:, k] * right[k, :]} as {@code fma} in {@code k} order, broadcast to {@code [M, N]}. */
    private static Tensor lazyProduct(Tensor left, Tensor right, DType t, int k) {
        DType acc = accumulation(t);
        Tensor l = left.to(acc);
        Tensor r = right.to(acc);
        Tensor sum = l.slice(1, 0, 1).mul(r.slice(0, 0, 1));
        for (int i = 1; i < k; i++) {
            sum = l.slice(1, i, i + 1).fma(r.slice(0, i, i + 1), sum);
        }
        return sum.to(t);
    }

    /**
     * Each element {@code (i, j)} of the product as the sum over {@code K} lanes of {@code left[i,
     * :] * right[:, j]}: a lane reduction fused into the kernel of the operands.
     */
    private static Tensor laneSums(Tensor left, Tensor right, DType t, long[] rs) {
        DType acc = accumulation(t);
        Tensor l = left.to(acc);
        Tensor r = right.to(acc).transpose();
        int rows = (int) rs[0];
        int cols = (int) rs[1];
        Node[] terms = new Node[rows * cols];
        for (int i = 0; i < rows; i++) {
            Node li = Views.get(l, i).value.nodes()[0];
            for (int j = 0; j < cols; j++) {
                terms[i * cols + j] = Tracer.binary(Op.MUL, li, Views.get(r, j).value.nodes()[0]);
            }
        }
        return Reductions.laneSums(l.device(), acc, terms, (int) l.value.shape[1], rs).to(t);
    }
}
