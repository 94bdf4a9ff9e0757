package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.Arrays;
import java.util.List;

/**
 * The element-wise instructions that a {@code MATVEC}'s step computes while its output tile is
 * still in registers or L1, instead of as passes of their own over the chunk (PERFORMANCE.md:
 * the hand-fused step applies bias and activation before the store). Two shapes, F32 only:
 * <ul>
 *   <li><b>activation</b>: every reader of the product is {@code MAX(y, c)} (at most one) or a
 *       comparison {@code GE/GT(y, c')} (at most one; the mask the backward pass selects with),
 *       {@code c, c'} scalars computed once per launch, and there is a {@code MAX}. The product
 *       itself then has no registers: the pre-activation lives only in the tile, and the mask
 *       takes a byte per lane instead of a float;
 *   <li><b>masked</b>: the product's only reader is {@code SELECT(mask, y, c)}, {@code c} a scalar
 *       computed once per launch and {@code mask} computed before the product (the transposed
 *       product of a backward pass with the activation's derivative).
 * </ul>
 * The fused instructions keep their own registers and are placed with their product's
 * ({@link CpuCompiler}); the results are the same bits as the separate steps (the same vector
 * operations on the same values).
 */
final class MatvecEpilogues {
    /** {@code host[i]}: the {@code MATVEC} whose step computes instruction {@code i}, or -1. */
    private final int[] host;
    /** Per {@code MATVEC}: its {@code MAX}, comparison and {@code SELECT} readers computed in its step, or -1. */
    private final int[] max;
    private final int[] compare;
    private final int[] select;

    private MatvecEpilogues(int count) {
        host = new int[count];
        max = new int[count];
        compare = new int[count];
        select = new int[count];
        Arrays.fill(host, -1);
        Arrays.fill(max, -1);
        Arrays.fill(compare, -1);
        Arrays.fill(select, -1);
    }

    /** The epilogues of {@code code}, where {@code once[i]} marks values computed once per launch. */
    static MatvecEpilogues find(List<Kernel.Instr> code, boolean[] once) {
        int count = code.size();
        MatvecEpilogues e = new MatvecEpilogues(count);
        if (BoolLanes.FLOAT == null) {
            return e; // no byte masks in vector code here: the separate steps' plain loops stay
        }
        int[][] readers = readers(code, once);
        for (int m = 0; m < count; m++) {
            Kernel.Instr in = code.get(m);
            if (in.op() != Op.MATVEC || in.type() != DType.F32 || once[m] || readers[m].length == 0) {
                continue;
            }
            int maxAt = -1;
            int compareAt = -1;
            int selectAt = -1;
            boolean other = false;
            for (int r : readers[m]) {
                Kernel.Instr user = code.get(r);
                boolean scalarB = user.b() != Kernel.NONE && user.b() != m && once[user.b()]
                        && code.get(user.b()).length() == 1;
                if (user.op() == Op.MAX && user.a() == m && scalarB && maxAt < 0) {
                    maxAt = r;
                } else if ((user.op() == Op.GE || user.op() == Op.GT) && user.a() == m && scalarB && compareAt < 0) {
                    compareAt = r;
                } else if (user.op() == Op.SELECT && user.b() == m && user.a() != m && user.c() != m && once[user.c()]
                        && code.get(user.c()).length() == 1 && !once[user.a()] && readyBefore(e, user.a(), m)) {
                    selectAt = r;
                } else {
                    other = true;
                }
            }
            if (other) {
                continue;
            }
            if (maxAt >= 0 && selectAt < 0) {
                e.max[m] = maxAt;
                e.host[maxAt] = m;
                if (compareAt >= 0) {
                    e.compare[m] = compareAt;
                    e.host[compareAt] = m;
                }
            } else if (selectAt >= 0 && readers[m].length == 1) {
                e.select[m] = selectAt;
                e.host[selectAt] = m;
            }
        }
        return e;
    }

    /** Whether value {@code v} is computed before {@code MATVEC m}'s step runs. */
    private static boolean readyBefore(MatvecEpilogues e, int v, int m) {
        return (e.host[v] >= 0 ? e.host[v] : v) < m;
    }

    /** The chunk instructions that name each value as an operand (each once). */
    private static int[][] readers(List<Kernel.Instr> code, boolean[] once) {
        int count = code.size();
        int[] n = new int[count];
        int[][] out = new int[count][];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < count; i++) {
                if (once[i]) {
                    continue;
                }
                int[] ops = CpuCompiler.operandsOf(code.get(i));
                for (int k = 0; k < ops.length; k++) {
                    int v = ops[k];
                    if (indexOf(ops, v) != k) {
                        continue; // named twice by one instruction: one reader
                    }
                    if (pass == 0) {
                        n[v]++;
                    } else {
                        out[v][n[v]++] = i;
                    }
                }
            }
            if (pass == 0) {
                for (int v = 0; v < count; v++) {
                    out[v] = new int[n[v]];
                }
                Arrays.fill(n, 0);
            }
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] == v) {
                return k;
            }
        }
        return -1;
    }

    /** The {@code MATVEC} that computes instruction {@code i} in its step, or -1. */
    int host(int i) {
        return host[i];
    }

    /** Whether {@code MATVEC m} computes readers of its own, so that its product needs no registers. */
    boolean fused(int m) {
        return max[m] >= 0 || select[m] >= 0;
    }

    /** The instructions computed with {@code m}'s step, {@code m} first (just {@code m} when none). */
    int[] group(int m) {
        if (max[m] >= 0) {
            return compare[m] >= 0 ? new int[] {m, max[m], compare[m]} : new int[] {m, max[m]};
        }
        return select[m] >= 0 ? new int[] {m, select[m]} : new int[] {m};
    }

    int max(int m) {
        return max[m];
    }

    int compare(int m) {
        return compare[m];
    }

    int select(int m) {
        return select[m];
    }
}
