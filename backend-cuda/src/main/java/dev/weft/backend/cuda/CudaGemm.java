package dev.weft.backend.cuda;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Tensor-mode {@code gemm} on the device: a tiled kernel in shared memory, written here as PTX
 * (generated, so the twelve variants (F16, F32, F64 storage times the two transposes) come from
 * one template; {@code CudaGemmPtxTest} assembles every variant with {@code ptxas} and runs it on
 * a PTX interpreter).
 *
 * <p><b>The kernel.</b> A block of {@value #THREADS} threads computes a {@value #TILE} x
 * {@value #TILE} tile of one C matrix; thread (tx, ty) = (tid % 16, tid / 16) owns the 4 x 4
 * outputs at rows {@code ty + 16 i} and columns {@code tx + 16 j}. For each step of
 * {@value #DEPTH} along k the block stages a 64 x 16 slice of A and a 16 x 64 slice of B in shared
 * memory (as the accumulation type, rows padded to 65 against bank conflicts; elements past the
 * matrix edges as 0), waits at a barrier, and each thread does 16 {@code fma}s per output.
 * Each output is one {@code fma.rn} chain in order of k from +0, in F32 for F16 and F32
 * (F64 for F64), rounded once at the store ({@code cvt.rn.f16.f32} for F16): the same
 * operations in the same order as the reference backend, so the results agree bit for bit (the
 * zero padding adds {@code fma(0, 0, acc) = acc} exactly, as an accumulator that starts at +0 is
 * never -0). Loads of a slice are coalesced along whichever axis the operand is contiguous in.
 *
 * <p><b>Launch.</b> Grid x: the column tiles; y: up to 65535 row tiles; z: up to 65535 batch
 * entries; bigger products are several launches ({@link #launches}), told apart by the first
 * row tile and batch entry in the parameter block: {@code [m, n, k, aOffset, bOffset, cOffset,
 * rowTileBase, batchBase, &A, &B, &C]} (offsets in elements; every index in 64 bits).
 */
final class CudaGemm {
    /** Rows and columns of C per block. */
    static final int TILE = 64;
    /** Steps along k staged in shared memory at a time. */
    static final int DEPTH = 16;
    /** Threads per block (16 x 16, each computing 4 x 4 outputs). */
    static final int THREADS = 256;
    /** Elements per row of a staged slice: a row of 64 plus one of padding. */
    static final int ROW = TILE + 1;
    /** 64-bit words of the parameter block. */
    static final int WORDS = 11;

    private final Function<CudaSource, CudaKernel> loader;
    private final Map<String, CudaKernel> kernels = new HashMap<>();

    /** @param loader builds a source on the device (the backend's compiler) */
    CudaGemm(Function<CudaSource, CudaKernel> loader) {
        this.loader = loader;
    }

    /** The kernel for F16, F32 or F64 matrices with the given transposes, loaded on first use. */
    CudaKernel kernel(DType dtype, boolean transA, boolean transB) {
        return kernels.computeIfAbsent(entry(dtype, transA, transB), e -> loader.apply(source(dtype, transA, transB)));
    }

    /** "weft_gemm_f32_nt": the dtype, then n or t for A and for B. */
    static String entry(DType dtype, boolean transA, boolean transB) {
        return "weft_gemm_" + dtype.name().toLowerCase(Locale.ROOT) + "_" + (transA ? 't' : 'n') + (transB ? 't' : 'n');
    }

    /**
     * One launch of a product: its grid and parameter words.
     *
     * @param gridX column tiles
     * @param gridY row tiles in this launch
     * @param gridZ batch entries in this launch
     * @param words the parameter block without the three buffer addresses
     */
    record Launch(int gridX, int gridY, int gridZ, long[] words) {}

    /**
     * The launches that cover {@code batch} products of M x K by K x N, with at most
     * {@code maxYZ} row tiles and batch entries per launch (CUDA's grid limit in y and z, 65535).
     */
    static java.util.List<Launch> launches(int batch, int m, int n, int k, long aOffset, long bOffset, long cOffset,
                                           int maxYZ) {
        checkArgument(batch > 0 && m > 0 && n > 0 && maxYZ > 0, "launches(): empty product %s x %s x %s", batch, m, n);
        int rowTiles = (m + TILE - 1) / TILE;
        int colTiles = (n + TILE - 1) / TILE;
        java.util.List<Launch> out = new java.util.ArrayList<>();
        for (int b0 = 0; b0 < batch; b0 += maxYZ) {
            for (int r0 = 0; r0 < rowTiles; r0 += maxYZ) {
                out.add(new Launch(colTiles, Math.min(maxYZ, rowTiles - r0), Math.min(maxYZ, batch - b0),
                        new long[] {m, n, k, aOffset, bOffset, cOffset, r0, b0}));
            }
        }
        return out;
    }

    /** The PTX of one variant (no module header: the compiler adds it). */
    static CudaSource source(DType dtype, boolean transA, boolean transB) {
        checkArgument(dtype.isFloat(), "gemm(): dtype %s; gemm multiplies F16, F32 or F64 matrices", dtype);
        return new CudaSource(entry(dtype, transA, transB), new Ptx(dtype, transA, transB).text(), THREADS);
    }

    /** The generator of one variant's PTX. */
    private static final class Ptx {
        private final StringBuilder sb = new StringBuilder();
        private final String entry;
        private final boolean transA;
        private final boolean transB;
        /** The accumulation type: f32, or f64 for F64. */
        private final String acc;
        private final int accBytes;
        /** The type of a load or store of one stored element: b16 (F16), f32 or f64. */
        private final String mem;
        private final int memShift;
        private final boolean half;
        private final String zero;

        Ptx(DType dtype, boolean transA, boolean transB) {
            this.entry = entry(dtype, transA, transB);
            this.transA = transA;
            this.transB = transB;
            this.half = dtype == DType.F16;
            this.acc = dtype == DType.F64 ? "f64" : "f32";
            this.accBytes = dtype == DType.F64 ? 8 : 4;
            this.mem = switch (dtype) {
                case F16 -> "b16";
                case F32 -> "f32";
                default -> "f64";
            };
            this.memShift = Integer.numberOfTrailingZeros(dtype.bytes());
            this.zero = dtype == DType.F64 ? "0d0000000000000000" : "0f00000000";
        }

        String text() {
            line(".visible .entry " + entry + "(.param .align 8 .b8 weft_args[" + 8 * WORDS + "])");
            line("{");
            declarations();
            parameters();
            origins();
            operand("a", transA, "%m", "%i0", "%abase", "%as");
            operand("b", !transB, "%n", "%j0", "%bbase", "%bs");
            for (int r = 0; r < 16; r++) {
                op("mov." + acc, "%c" + r, zero);
            }
            op("mov.u64", "%k0", "0");
            op("setp.eq.u64", "%pl", "%k", "0");
            line("\t@%pl bra $STORE;");
            line("$TILE:");
            stage("a");
            stage("b");
            op("bar.sync", "0");
            multiply();
            op("bar.sync", "0");
            for (String x : new String[] {"a", "b"}) {
                for (int r = 0; r < 4; r++) {
                    op("add.u64", "%" + x + "g" + r, "%" + x + "g" + r, "%" + x + "step");
                }
            }
            op("add.u64", "%k0", "%k0", String.valueOf(DEPTH));
            op("setp.lt.u64", "%pl", "%k0", "%k");
            line("\t@%pl bra $TILE;");
            line("$STORE:");
            store();
            op("ret");
            line("}");
            return sb.toString();
        }

        private void declarations() {
            line("\t.reg .pred %pl, %pk, %aq<4>, %bq<4>;");
            line("\t.reg .b32 %thr, %tx, %ty, %w, %as, %bs, %asrow, %bscol, %as<4>, %bs<4>;");
            line("\t.reg .b64 %m, %n, %k, %aoff, %boff, %coff, %rowbase, %batchbase, %A, %B, %C;");
            line("\t.reg .b64 %bidx, %i0, %j0, %abase, %bbase, %cbase, %k0, %t, %u, %astep, %bstep;");
            line("\t.reg .b64 %ag<4>, %bg<4>, %ak<4>, %bk<4>;");
            line("\t.reg ." + acc + " %c<16>, %a<4>, %b<4>, %v;");
            if (half) {
                line("\t.reg .b16 %h;");
            }
            int slice = DEPTH * ROW * accBytes;
            line("\t.shared .align 8 .b8 " + entry + "_As[" + slice + "];");
            line("\t.shared .align 8 .b8 " + entry + "_Bs[" + slice + "];");
        }

        private void parameters() {
            String[] names = {"%m", "%n", "%k", "%aoff", "%boff", "%coff", "%rowbase", "%batchbase", "%A", "%B", "%C"};
            for (int i = 0; i < names.length; i++) {
                op("ld.param.u64", names[i], "[weft_args+" + 8 * i + "]");
            }
            for (String p : new String[] {"%A", "%B", "%C"}) {
                op("cvta.to.global.u64", p, p);
            }
        }

        /** Thread coordinates, the block's batch entry and tile origin, the matrices' element bases. */
        private void origins() {
            op("mov.u32", "%thr", "%tid.x");
            op("and.b32", "%tx", "%thr", "15");
            op("shr.u32", "%ty", "%thr", "4");
            op("mov.u32", "%w", "%ctaid.z");
            op("cvt.u64.u32", "%t", "%w");
            op("add.u64", "%bidx", "%batchbase", "%t");
            op("mov.u32", "%w", "%ctaid.y");
            op("cvt.u64.u32", "%t", "%w");
            op("add.u64", "%i0", "%rowbase", "%t");
            op("shl.b64", "%i0", "%i0", "6");
            op("mov.u32", "%w", "%ctaid.x");
            op("cvt.u64.u32", "%j0", "%w");
            op("shl.b64", "%j0", "%j0", "6");
            op("mul.lo.u64", "%t", "%m", "%k");
            op("mad.lo.u64", "%abase", "%bidx", "%t", "%aoff");
            op("mul.lo.u64", "%t", "%k", "%n");
            op("mad.lo.u64", "%bbase", "%bidx", "%t", "%boff");
            op("mul.lo.u64", "%t", "%m", "%n");
            op("mad.lo.u64", "%cbase", "%bidx", "%t", "%coff");
            op("mov.u32", "%as", entry + "_As");
            op("mov.u32", "%bs", entry + "_Bs");
            // the inner product reads As[kk][ty + 16 i] and Bs[kk][tx + 16 j]
            op("mad.lo.u32", "%asrow", "%ty", String.valueOf(accBytes), "%as");
            op("mad.lo.u32", "%bscol", "%tx", String.valueOf(accBytes), "%bs");
        }

        /**
         * Per-thread addressing of one operand's slices, for its 4 elements r = 0..3 of each
         * 64 x 16 slice (element e = tid + 256 r): {@code q} (0..63) along the operand's M or N
         * axis and {@code kk} (0..15) along k. K-major storage (A transposed, B as it is) has
         * consecutive threads on consecutive q: q = tid % 64, kk = tid / 64 + 4 r; the other
         * storage has them along k: q = ty + 16 r, kk = tx. Sets the element index without the
         * slice's k0 ({@code %xg r}), kk ({@code %xk r}), whether q is inside the matrix
         * ({@code %xq r}), the shared address of (kk, q) ({@code %xs r}) and the index step per slice.
         *
         * @param kMajor whether the operand is stored k-major (element (q, kk) at kk * dimQ + q)
         * @param dimQ the operand's extent along q (m for A, n for B)
         * @param origin the block's first row (A) or column (B)
         */
        private void operand(String x, boolean kMajor, String dimQ, String origin, String base, String shared) {
            for (int r = 0; r < 4; r++) {
                String g = "%" + x + "g" + r;
                String kk = "%" + x + "k" + r;
                String q = "%u";
                if (kMajor) {
                    op("and.b32", "%w", "%thr", "63");
                    op("cvt.u64.u32", q, "%w");
                    op("shr.u32", "%w", "%thr", "6");
                    op("add.u32", "%w", "%w", String.valueOf(4 * r));
                    op("cvt.u64.u32", kk, "%w");
                    op("add.u64", "%t", origin, q);          // the row or column in the matrix
                    op("setp.lt.u64", "%" + x + "q" + r, "%t", dimQ);
                    op("mad.lo.u64", g, kk, dimQ, "%t");     // kk * dimQ + origin + q
                    op("add.u64", g, g, base);
                } else {
                    op("add.u32", "%w", "%ty", String.valueOf(16 * r));
                    op("cvt.u64.u32", q, "%w");
                    op("cvt.u64.u32", kk, "%tx");
                    op("add.u64", "%t", origin, q);
                    op("setp.lt.u64", "%" + x + "q" + r, "%t", dimQ);
                    op("mad.lo.u64", g, "%t", "%k", kk);     // (origin + q) * k + kk
                    op("add.u64", g, g, base);
                }
                // shared address of (kk, q): slice + (kk * ROW + q) * accBytes
                op("cvt.u32.u64", "%w", kk);
                op("mul.lo.u32", "%w", "%w", String.valueOf(ROW));
                op("cvt.u32.u64", "%" + x + "s" + r, q);
                op("add.u32", "%w", "%w", "%" + x + "s" + r);
                op("mad.lo.u32", "%" + x + "s" + r, "%w", String.valueOf(accBytes), shared);
            }
            if (kMajor) {
                op("shl.b64", "%" + x + "step", dimQ, "4");  // 16 * dimQ elements per slice
            } else {
                op("mov.u64", "%" + x + "step", String.valueOf(DEPTH));
            }
        }

        /** Loads this thread's 4 elements of the operand's slice at k0 into shared memory (0 outside the matrix). */
        private void stage(String x) {
            String matrix = x.equals("a") ? "%A" : "%B";
            for (int r = 0; r < 4; r++) {
                op("add.u64", "%t", "%k0", "%" + x + "k" + r);
                op("setp.lt.u64", "%pk", "%t", "%k");
                op("and.pred", "%pk", "%pk", "%" + x + "q" + r);
                op("shl.b64", "%t", "%" + x + "g" + r, String.valueOf(memShift));
                op("add.u64", "%t", matrix, "%t");
                if (half) {
                    op("mov.b16", "%h", "0");
                    line("\t@%pk ld.global.b16 %h, [%t];");
                    op("cvt.f32.f16", "%v", "%h");
                } else {
                    op("mov." + acc, "%v", zero);
                    line("\t@%pk ld.global." + mem + " %v, [%t];");
                }
                op("st.shared." + acc, "[%" + x + "s" + r + "]", "%v");
            }
        }

        /** 16 steps along k: 4 values of A and 4 of B from shared memory, 16 fma each. */
        private void multiply() {
            for (int kk = 0; kk < DEPTH; kk++) {
                for (int i = 0; i < 4; i++) {
                    op("ld.shared." + acc, "%a" + i, "[%asrow+" + (kk * ROW + 16 * i) * accBytes + "]");
                }
                for (int j = 0; j < 4; j++) {
                    op("ld.shared." + acc, "%b" + j, "[%bscol+" + (kk * ROW + 16 * j) * accBytes + "]");
                }
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        String c = "%c" + (4 * i + j);
                        op("fma.rn." + acc, c, "%a" + i, "%b" + j, c);
                    }
                }
            }
        }

        /** Writes the 16 outputs inside C, rounded once to the stored type. */
        private void store() {
            for (int i = 0; i < 4; i++) {
                op("add.u32", "%w", "%ty", String.valueOf(16 * i));
                op("cvt.u64.u32", "%u", "%w");
                op("add.u64", "%u", "%u", "%i0");               // row
                op("setp.lt.u64", "%pl", "%u", "%m");
                op("mad.lo.u64", "%u", "%u", "%n", "%cbase");    // cbase + row * n
                for (int j = 0; j < 4; j++) {
                    op("add.u32", "%w", "%tx", String.valueOf(16 * j));
                    op("cvt.u64.u32", "%t", "%w");
                    op("add.u64", "%t", "%t", "%j0");           // column
                    op("setp.lt.and.u64", "%pk", "%t", "%n", "%pl");
                    op("add.u64", "%t", "%t", "%u");
                    op("shl.b64", "%t", "%t", String.valueOf(memShift));
                    op("add.u64", "%t", "%C", "%t");
                    String c = "%c" + (4 * i + j);
                    if (half) {
                        op("cvt.rn.f16.f32", "%h", c);
                        line("\t@%pk st.global.b16 [%t], %h;");
                    } else {
                        line("\t@%pk st.global." + mem + " [%t], " + c + ";");
                    }
                }
            }
        }

        private void op(String opcode, String... operands) {
            sb.append('\t').append(opcode);
            if (operands.length > 0) {
                sb.append(' ').append(String.join(", ", operands));
            }
            sb.append(";\n");
        }

        private void line(String s) {
            sb.append(s).append('\n');
        }
    }
}
