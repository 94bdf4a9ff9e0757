package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Tensor-mode {@code matmul}: 2-D and batched, F32, F64 and F16 (F32 accumulation, one rounding
 * per output), odd sizes, operands that are views (a transpose) and an inner dimension of 0. Each
 * output is a sum of K products in a backend-chosen order ({@link ResultClass#ORDERED_SUM}),
 * checked against the exact sum ({@link BigDecimal}) with the bound of {@link SumBounds}.
 */
public final class MatmulCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "matmul";

    private static final int[][] SIZES = {{1, 1, 1}, {1, 7, 1}, {7, 13, 5}, {33, 65, 17}, {64, 64, 64}, {3, 1, 4}};

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (DType t : List.of(DType.F32, DType.F64, DType.F16)) {
            for (int[] s : SIZES) {
                out.add(matmul(t, 0, s[0], s[1], s[2], false));
            }
            out.add(matmul(t, 3, 5, 7, 4, false));
            out.add(matmul(t, 2, 17, 33, 9, false));
            out.add(matmul(t, 0, 9, 6, 11, true));
        }
        out.add(Checks.program(GROUP + "/inner-dimension-zero", GROUP, ResultClass.BIT_EXACT,
                "zeros(F32, 3, 0).matmul(zeros(F32, 0, 2)) = zeros [3, 2]",
                () -> Tensor.zeros(DType.F32, 3, 0).matmul(Tensor.zeros(DType.F32, 0, 2)),
                () -> new Expected.Exact(new Values(DType.F32, new long[] {3, 2}, new long[6])), Tag.F32));
        out.add(Checks.program(GROUP + "/hand-2x2", GROUP, ResultClass.BIT_EXACT,
                "[[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]] (exact in any order)",
                () -> Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).matmul(Tensor.of(new float[] {5, 6, 7, 8}, 2, 2)),
                () -> new Expected.Exact(Values.ofFloats(new float[] {19, 22, 43, 50}, 2, 2)), Tag.F32));
        return out;
    }

    /** [B,] M x K times K x N; with {@code transposed}, the left operand is given as the transpose of a K x M tensor. */
    private static ConformanceCase matmul(DType t, int batch, int m, int k, int n, boolean transposed) {
        String shape = (batch > 0 ? batch + "x" : "") + m + "x" + k + "x" + n;
        String id = GROUP + "/" + t + "/" + shape + (transposed ? "/left-transposed" : "");
        SplittableRandom r = new SplittableRandom(id.hashCode());
        int b = Math.max(batch, 1);
        long[] as = batch > 0 ? new long[] {batch, m, k} : new long[] {m, k};
        long[] bs = batch > 0 ? new long[] {batch, k, n} : new long[] {k, n};
        long[] cs = batch > 0 ? new long[] {batch, m, n} : new long[] {m, n};
        Values a = ReductionCases.inputs(t, r, as);
        Values bv = ReductionCases.inputs(t, r, bs);
        return Checks.program(id, GROUP, ResultClass.ORDERED_SUM, "a.matmul(b), a " + t + Arrays.toString(as) + ", b "
                        + Arrays.toString(bs) + (transposed ? "; a given as aT.transpose()" : ""),
                () -> {
                    Tensor at = transposed ? DeviceIo.upload(HostShapes.transpose(a)).transpose() : DeviceIo.upload(a);
                    return at.matmul(DeviceIo.upload(bv));
                },
                () -> {
                    double[] exact = new double[b * m * n];
                    double[] bound = new double[exact.length];
                    for (int p = 0; p < b; p++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double[] terms = new double[k];
                                BigDecimal sum = BigDecimal.ZERO;
                                for (int q = 0; q < k; q++) {
                                    BigDecimal x = new BigDecimal(a.value((p * m + i) * k + q));
                                    BigDecimal y = new BigDecimal(bv.value((p * k + q) * n + j));
                                    BigDecimal prod = x.multiply(y);
                                    sum = sum.add(prod);
                                    terms[q] = prod.doubleValue();
                                }
                                int o = (p * m + i) * n + j;
                                exact[o] = sum.doubleValue();
                                bound[o] = SumBounds.bound(t, terms, exact[o]);
                            }
                        }
                    }
                    return new Expected.Bounded(t, cs, exact, bound);
                }, Tag.of(t));
    }
}
