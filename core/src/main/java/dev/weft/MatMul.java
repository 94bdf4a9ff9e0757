package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;

/**
 * Tensor-mode matrix products through the backend's {@code gemm} (F32 accumulation, one
 * rounding per output): {@code [M, K] x [K, N]}, or batched {@code [B, M, K] x [B, K, N]}. The
 * product is a pending effect; its inputs are evaluated first.
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
        Tensor ea = a.to(t).eval();
        Tensor eb = b.to(t).eval();
        Buffer c = TensorValue.newBuffer(a.device(), t, Shapes.numel(rs));
        if (Shapes.numel(rs) > 0) {
            if (k == 0) {
                return TensorValue.fullOn(a.device(), t, 0, rs);
            }
            Scheduler.record(new Effect.Gemm((int) batch, transA, transB, (int) m, (int) n, (int) k,
                    ea.value.backing(), 0, eb.value.backing(), 0, c, 0));
        }
        return TensorValue.fromBuffer(c, rs, a.device());
    }
}
