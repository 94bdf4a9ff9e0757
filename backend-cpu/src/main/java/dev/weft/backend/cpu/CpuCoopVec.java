package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.Kernel;
import java.lang.foreign.MemorySegment;

/**
 * The cooperative-vector instructions on a chunk of lanes.
 *
 * <p>{@code MATVEC}: once per launch the matrix as used (transposed or not, any offset and
 * stride, F16/F32/F64 memory) is converted into a dense copy in the instruction's type, F32 rows
 * packed in blocks of four; per chunk, {@code Y[m x L] = W[m x n] X[n x L] + B} runs as a
 * register-blocked small matrix product ({@link CoopVecKernels}). {@code EXTRACT} needs no step:
 * its register is the component's.
 *
 * <p>{@code OUTER_ADD}: each thread accumulates {@code sum over its lanes of u_i v_j} in an
 * array of its own: with F32 and at least a vector of columns, strips of lanes of v transposed
 * in registers and 4 x 4-vector tiles of broadcast products, no reduction across lanes
 * ({@link CoopVecKernels#outerF32Transposed}); else 4x4 tiles of (i, j) reduced across lanes
 * once per chunk. The launch's {@link Step#finish} adds the
 * threads' arrays up in the instruction's type and adds the result to memory once per element,
 * converting to the memory type then (so F16 memory rounds once per element and launch).
 */
final class CpuCoopVec {
    private CpuCoopVec() {}

    /** {@code regs} as the registers of a vector of {@code length} (one register stands for every component). */
    private static int[] spread(int[] regs, int length) {
        if (regs.length == length) {
            return regs;
        }
        int[] out = new int[length];
        java.util.Arrays.fill(out, regs[0]);
        return out;
    }

    /**
     * {@code y = M x + b}: {@code x} the registers of the input vector (one register when it is
     * one value for every component), {@code b} those of the bias vector, or, when the bias is
     * computed once per launch ({@code uniformBias} names its instruction, else -1), no
     * registers: each worker broadcasts its values once per launch into one strip of lanes, which
     * every strip of the product starts from.
     */
    static Step matvec(int self, Kernel.Instr in, int[] x, int[] b, int[] outputs, int uniformBias) {
        return matvec(self, in, x, b, outputs, uniformBias, null);
    }

    /**
     * {@link #matvec} with the readers {@link MatvecEpilogues} fused into it: {@code outputs}
     * are then the registers of the last fused reader ({@code MAX} or {@code SELECT}), and
     * {@code epilogue} makes a worker's {@link TileEpilogue} from its frame (null: none).
     */
    static Step matvec(int self, Kernel.Instr in, int[] x, int[] b, int[] outputs, int uniformBias,
                       java.util.function.Function<Frame, TileEpilogue> epilogue) {
        MatrixAccess m = in.matrix();
        int rows = m.outputLength();
        int cols = m.inputLength();
        int slot = (int) in.imm();
        int[] inputs = spread(x, cols);
        int[] bias = uniformBias >= 0 ? null : spread(b, rows);
        boolean f32 = in.type() == DType.F32;
        return new Step() {
            private float[] stored;
            private float[] packed;

            @Override
            void prepare(Launch launch) {
                CpuBuffer buffer = launch.buffers[slot];
                // one launch of a program at a time (CpuProgram.launch), so the arrays are reused
                if (f32) {
                    stored = storedF32(buffer, m, stored);
                    packed = packF32(stored, m, packed);
                    launch.prepared[self] = packed;
                } else {
                    launch.prepared[self] = denseF64(buffer, m);
                }
            }

            @Override
            Exec bind(Frame f) {
                if (f32) {
                    float[][] xs = new float[cols][];
                    float[][] bs = new float[rows][];
                    float[][] ys = new float[rows][];
                    for (int c = 0; c < cols; c++) {
                        xs[c] = f.floats[inputs[c]];
                    }
                    for (int r = 0; r < rows; r++) {
                        bs[r] = bias == null ? new float[STRIP] : f.floats[bias[r]];
                        ys[r] = f.floats[outputs[r]];
                    }
                    TileEpilogue tile = epilogue == null ? null : epilogue.apply(f);
                    Runnable reset = () -> {
                        if (bias == null) {
                            long[] v = f.launch.uniform[uniformBias];
                            for (int r = 0; r < rows; r++) {
                                java.util.Arrays.fill(bs[r], ScalarOps.asFloat(v[v.length == 1 ? 0 : r]));
                            }
                        }
                        if (tile != null) {
                            tile.reset(f.launch);
                        }
                    };
                    return withReset((base, lanes) -> CoopVecKernels.matvecF32((float[]) f.launch.prepared[self], rows,
                            cols, xs, bs, ys, lanes, bias == null, tile), bias == null || tile != null ? reset : null);
                }
                double[][] xs = new double[cols][];
                double[][] bs = new double[rows][];
                double[][] ys = new double[rows][];
                for (int c = 0; c < cols; c++) {
                    xs[c] = f.doubles[inputs[c]];
                }
                for (int r = 0; r < rows; r++) {
                    bs[r] = bias == null ? new double[STRIP] : f.doubles[bias[r]];
                    ys[r] = f.doubles[outputs[r]];
                }
                Runnable broadcast = () -> {
                    long[] v = f.launch.uniform[uniformBias];
                    for (int r = 0; r < rows; r++) {
                        java.util.Arrays.fill(bs[r], ScalarOps.asDouble(v[v.length == 1 ? 0 : r]));
                    }
                };
                return withReset((base, lanes) -> CoopVecKernels.matvecF64((double[]) f.launch.prepared[self], rows,
                        cols, xs, bs, ys, lanes, bias == null), bias == null ? broadcast : null);
            }
        };
    }

    /** {@code run} per chunk, and {@code reset} (if not null) once per launch on each worker. */
    private static Step.Exec withReset(Step.Exec run, Runnable reset) {
        if (reset == null) {
            return run;
        }
        return new Step.Exec() {
            @Override
            public void run(long base, int lanes) {
                run.run(base, lanes);
            }

            @Override
            public void reset() {
                reset.run();
            }
        };
    }

    /** Lanes of a uniform bias's broadcast copy: one strip of the F32 product (4 vectors), more than one F64 vector. */
    private static final int STRIP = 4 * FloatSteps.V;

    /** The stored matrix ({@code rows x cols}, not transposed) as dense F32 rows, in {@code reuse} if it fits. */
    static float[] storedF32(CpuBuffer buffer, MatrixAccess m, float[] reuse) {
        int rows = m.rows();
        int cols = m.cols();
        float[] w = reuse != null && reuse.length == rows * cols ? reuse : new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            long start = m.offset() + (long) r * m.stride();
            if (buffer.dtype() == DType.F32) {
                MemorySegment.copy(buffer.memory, CpuBuffer.FLOAT, start * Float.BYTES, w, r * cols, cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    w[r * cols + c] = weight(buffer, start + c);
                }
            }
        }
        return w;
    }

    /**
     * The matrix as used (from the stored rows), in F32: rows in blocks of four, within a block
     * column-major ({@code w[(r/4*cols + c)*4 + r%4]}), so the four weights a tile broadcasts are
     * adjacent; the last {@code rows % 4} rows follow row-major.
     */
    static float[] packF32(float[] stored, MatrixAccess m, float[] reuse) {
        int rows = m.outputLength();
        int cols = m.inputLength();
        int storedCols = m.cols();
        float[] w = reuse != null && reuse.length == rows * cols ? reuse : new float[rows * cols];
        int full = rows & ~3;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = m.transpose() ? stored[c * storedCols + r] : stored[r * storedCols + c];
                w[r < full ? ((r >> 2) * cols + c) * 4 + (r & 3) : r * cols + c] = v;
            }
        }
        return w;
    }

    private static float weight(CpuBuffer buffer, long index) {
        return buffer.dtype() == DType.F16 ? Float.float16ToFloat(buffer.memory.get(CpuBuffer.SHORT, index * 2))
                : ScalarOps.asFloat(ScalarOps.cast(buffer.dtype(), DType.F32, buffer.get(index)));
    }

    /** The matrix as used, in F64, row-major. */
    static double[] denseF64(CpuBuffer buffer, MatrixAccess m) {
        int rows = m.outputLength();
        int cols = m.inputLength();
        double[] w = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = ScalarOps.asDouble(ScalarOps.cast(buffer.dtype(), DType.F64, buffer.get(m.index(r, c))));
            }
        }
        return w;
    }

    /** The launch's {@code sum u v^T} added to the matrix: {@code u} and {@code v} the registers of the vectors. */
    static Step outerAdd(Kernel.Instr in, int[] u, int[] v) {
        MatrixAccess m = in.matrix();
        int rows = m.rows();
        int cols = m.cols();
        int slot = (int) in.imm();
        int[] us = spread(u, rows);
        int[] vs = spread(v, cols);
        boolean f32 = in.type() == DType.F32;
        DType type = in.type();
        // F32 with at least a vector of columns: the transposed kernel, sums in rows of whole vectors
        boolean transposed = f32 && LaneTranspose.SUPPORTED && cols >= FloatSteps.V;
        int stride = transposed ? Step.padded(cols, FloatSteps.V) : cols;
        return new Step() {
            @Override
            Exec bind(Frame f) {
                if (f32) {
                    float[][] u = new float[rows][];
                    for (int i = 0; i < rows; i++) {
                        u[i] = f.floats[us[i]];
                    }
                    if (transposed) { // no reductions across lanes; rows of sums padded to whole vectors
                        float[][] v = new float[stride][];
                        float[] zeros = new float[CpuProgram.CHUNK];
                        for (int j = 0; j < stride; j++) {
                            v[j] = j < cols ? f.floats[vs[j]] : zeros;
                        }
                        float[] sums = new float[rows * stride];
                        float[] vt = new float[CoopVecKernels.OUTER_STRIP * stride];
                        return new OuterSums(sums, null) {
                            @Override
                            public void run(long base, int lanes) {
                                CoopVecKernels.outerF32Transposed(u, v, sums, vt, rows, stride, lanes);
                            }
                        };
                    }
                    float[][] v = new float[cols][];
                    for (int j = 0; j < cols; j++) {
                        v[j] = f.floats[vs[j]];
                    }
                    float[] sums = new float[rows * cols];
                    return new OuterSums(sums, null) {
                        @Override
                        public void run(long base, int lanes) {
                            CoopVecKernels.outerF32(u, v, sums, rows, cols, lanes);
                        }
                    };
                }
                double[][] u = new double[rows][];
                double[][] v = new double[cols][];
                for (int i = 0; i < rows; i++) {
                    u[i] = f.doubles[us[i]];
                }
                for (int j = 0; j < cols; j++) {
                    v[j] = f.doubles[vs[j]];
                }
                double[] sums = new double[rows * cols];
                return new OuterSums(null, sums) {
                    @Override
                    public void run(long base, int lanes) {
                        CoopVecKernels.outerF64(u, v, sums, rows, cols, lanes);
                    }
                };
            }

            @Override
            void finish(Launch launch, Exec[] execs) {
                CpuBuffer buffer = launch.buffers[slot];
                if (f32 && buffer.dtype() == DType.F32) {
                    addF32(buffer, m, stride, execs);
                    return;
                }
                DType mem = buffer.dtype();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int k = i * stride + j;
                        // the launch's sum in the instruction's type (+0 when no lane ran, as the reference)
                        float fs = 0f;
                        double ds = 0.0;
                        for (Exec e : execs) {
                            OuterSums s = (OuterSums) e;
                            if (f32) {
                                fs += s.floats[k];
                            } else {
                                ds += s.doubles[k];
                            }
                        }
                        long sum = f32 ? ScalarOps.ofFloat(fs) : ScalarOps.ofDouble(ds);
                        long index = m.offset() + (long) i * m.stride() + j;
                        long old = ScalarOps.cast(mem, type, buffer.get(index));
                        long added = ScalarOps.binary(dev.weft.ir.Op.ADD, type, old, sum);
                        buffer.set(index, ScalarOps.cast(type, mem, added));
                    }
                }
            }
        };
    }

    /**
     * The common case of {@link #outerAdd}'s finish, F32 sums into F32 memory, as plain float
     * arithmetic (the same roundings as the general path: the threads' sums from +0 in worker
     * order, then one addition to memory).
     */
    private static void addF32(CpuBuffer buffer, MatrixAccess m, int stride, Step.Exec[] execs) {
        float[][] parts = new float[execs.length][];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = ((OuterSums) execs[p]).floats;
        }
        java.lang.foreign.MemorySegment memory = buffer.memory;
        for (int i = 0; i < m.rows(); i++) {
            long row = (m.offset() + (long) i * m.stride()) * Float.BYTES;
            for (int j = 0; j < m.cols(); j++) {
                int k = i * stride + j;
                float sum = 0f;
                for (float[] part : parts) {
                    sum += part[k];
                }
                long at = row + (long) j * Float.BYTES;
                memory.set(CpuBuffer.FLOAT, at, memory.get(CpuBuffer.FLOAT, at) + sum);
            }
        }
    }

    /** One thread's outer-product sums for one launch. */
    private abstract static class OuterSums implements Step.Exec {
        final float[] floats;
        final double[] doubles;

        OuterSums(float[] floats, double[] doubles) {
            this.floats = floats;
            this.doubles = doubles;
        }

        @Override
        public void reset() {
            if (floats != null) {
                java.util.Arrays.fill(floats, 0f);
            } else {
                java.util.Arrays.fill(doubles, 0.0);
            }
        }
    }
}
