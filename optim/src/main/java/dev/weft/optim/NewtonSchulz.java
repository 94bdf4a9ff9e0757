package dev.weft.optim;

import dev.weft.DType;
import dev.weft.Tensor;

/**
 * The quintic Newton–Schulz iteration that {@link Muon} uses to replace an update by
 * (approximately) the nearest semi-orthogonal matrix, on a batch {@code [B, M, N]} of matrices at
 * once (reference-semantics.md §5.7): {@code X = u / (||u||_F + 1e-7)}, then {@code steps} times
 * with {@code (a, b, c) = (3.4445, -4.7750, 2.0315)}: {@code A = X X^T}, {@code B = b A + c A A},
 * {@code X = a X + B X} for a wide matrix ({@code M <= N}), and {@code A = X^T X},
 * {@code X = a X + X B} for a tall one. Products are batched {@code matmul}s (one gemm each).
 */
final class NewtonSchulz {
    static final double A = 3.4445;
    static final double B = -4.7750;
    static final double C = 2.0315;
    static final double NORM_EPSILON = 1e-7;

    private NewtonSchulz() {}

    /** The orthogonalized batch, of {@code u}'s shape and dtype. */
    static Tensor orthogonalize(Tensor u, int steps) {
        long[] s = u.shape();
        long batch = s[0];
        long rows = s[1];
        long cols = s[2];
        DType t = u.dtype();
        Tensor norm = u.mul(u).reshape(batch, rows * cols).sum(1).sqrt();
        Tensor x = u.mul(Tensor.ones(t, batch).div(norm.add(NORM_EPSILON)).reshape(batch, 1, 1));
        Tensor a = Tensor.full(t, A);
        Tensor b = Tensor.full(t, B);
        boolean tall = rows > cols;
        for (int i = 0; i < steps; i++) {
            Tensor gram = tall ? x.matmul(x, true, false) : x.matmul(x, false, true);
            Tensor poly = gram.fma(b, gram.matmul(gram).mul(C));
            x = x.fma(a, tall ? x.matmul(poly) : poly.matmul(x));
        }
        return x;
    }
}
