package dev.weft.backend.reference;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.Kernel;
import java.util.Arrays;
import java.util.List;

/**
 * Executes a {@link Kernel} one instruction at a time over chunks of lanes, each lane's value
 * computed by {@link ScalarOps}: the executable definition of the IR that every other backend
 * matches. Chunks run in lane order, so scatter-adds accumulate in lane order.
 */
final class ReferenceInterpreter {
    private static final int CHUNK = 1024;

    private ReferenceInterpreter() {}

    static void run(Kernel kernel, ReferenceBuffer[] buffers, long[] params, long n) {
        List<Kernel.Instr> code = kernel.instructions();
        int count = code.size();
        DType[] types = new DType[count];
        long[][] regs = new long[count][];
        long[][][] vectors = new long[count][][];
        long[][] sums = new long[count][];
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            regs[i] = new long[CHUNK];
            types[i] = in.type();
            if (in.op() == Op.MATVEC) {
                vectors[i] = new long[in.matrix().outputLength()][CHUNK];
            } else if (in.op() == Op.OUTER_ADD) {
                sums[i] = new long[in.matrix().rows() * in.matrix().cols()]; // zero bits are +0.0
            }
        }
        for (long base = 0; base < n; base += CHUNK) {
            int lanes = (int) Math.min(CHUNK, n - base);
            for (int i = 0; i < count; i++) {
                Kernel.Instr in = code.get(i);
                switch (in.op()) {
                    case MATVEC -> matvec(in, regs, vectors[i], buffers[(int) in.imm()], lanes);
                    case EXTRACT -> System.arraycopy(vectors[in.a()][(int) in.imm()], 0, regs[i], 0, lanes);
                    case OUTER_ADD -> outerSums(in, regs, sums[i], lanes);
                    default -> execute(in, types, regs, i, buffers, params, base, lanes);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (sums[i] != null) {
                addOuterSums(code.get(i), sums[i], buffers[(int) code.get(i).imm()]);
            }
        }
    }

    /** {@code y_r = fma(M[r][n-1], x_{n-1}, ... fma(M[r][0], x_0, b_r))}, in the instruction's type. */
    private static void matvec(Kernel.Instr in, long[][] regs, long[][] out, ReferenceBuffer buf, int lanes) {
        MatrixAccess m = in.matrix();
        DType t = in.type();
        int inputs = m.inputLength();
        boolean bias = in.operands().size() > inputs;
        for (int r = 0; r < m.outputLength(); r++) {
            long[] y = out[r];
            if (bias) {
                System.arraycopy(regs[in.operands().get(inputs + r)], 0, y, 0, lanes);
            } else {
                Arrays.fill(y, 0, lanes, 0L);
            }
            for (int c = 0; c < inputs; c++) {
                long w = ScalarOps.cast(buf.dtype(), t, buf.get(m.index(r, c)));
                long[] x = regs[in.operands().get(c)];
                for (int l = 0; l < lanes; l++) {
                    y[l] = ScalarOps.fma(t, w, x[l], y[l]);
                }
            }
        }
    }

    /** Adds this chunk's {@code u_i * v_j} to the launch-wide sums, lane by lane with fma. */
    private static void outerSums(Kernel.Instr in, long[][] regs, long[] sums, int lanes) {
        MatrixAccess m = in.matrix();
        DType t = in.type();
        for (int i = 0; i < m.rows(); i++) {
            long[] u = regs[in.operands().get(i)];
            for (int j = 0; j < m.cols(); j++) {
                long[] v = regs[in.operands().get(m.rows() + j)];
                long acc = sums[i * m.cols() + j];
                for (int l = 0; l < lanes; l++) {
                    acc = ScalarOps.fma(t, u[l], v[l], acc);
                }
                sums[i * m.cols() + j] = acc;
            }
        }
    }

    /** Adds each element's launch-wide sum to memory, rounding once to the buffer's type. */
    private static void addOuterSums(Kernel.Instr in, long[] sums, ReferenceBuffer buf) {
        MatrixAccess m = in.matrix();
        DType t = in.type();
        DType mem = buf.dtype();
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                long index = m.offset() + (long) i * m.stride() + j;
                long old = ScalarOps.cast(mem, t, buf.get(index));
                buf.set(index, ScalarOps.cast(t, mem, ScalarOps.binary(Op.ADD, t, old, sums[i * m.cols() + j])));
            }
        }
    }

    private static void execute(Kernel.Instr in, DType[] types, long[][] regs, int self, ReferenceBuffer[] buffers, long[] params,
                                long base, int lanes) {
        long[] out = regs[self];
        long[] a = in.a() >= 0 ? regs[in.a()] : null;
        long[] b = in.b() >= 0 ? regs[in.b()] : null;
        long[] c = in.c() >= 0 ? regs[in.c()] : null;
        long[] d = in.d() >= 0 ? regs[in.d()] : null;
        Op op = in.op();
        switch (op.kind()) {
            case LEAF -> {
                switch (op) {
                    case LITERAL -> Arrays.fill(out, 0, lanes, in.imm());
                    case PARAM -> Arrays.fill(out, 0, lanes, params[(int) in.imm()]);
                    case LANE -> {
                        for (int l = 0; l < lanes; l++) {
                            out[l] = base + l;
                        }
                    }
                    default -> throw new AssertionError(op);
                }
            }
            case MEMORY -> {
                ReferenceBuffer buf = buffers[(int) in.imm()];
                if (op == Op.LOAD) {
                    for (int l = 0; l < lanes; l++) {
                        out[l] = buf.get(a[l]);
                    }
                } else {
                    for (int l = 0; l < lanes; l++) {
                        boolean inRange = c[l] != 0 && a[l] >= 0 && a[l] < b[l];
                        out[l] = inRange ? buf.get(a[l]) : 0;
                    }
                }
            }
            case UNARY, TRANSCENDENTAL -> {
                DType t = in.type();
                for (int l = 0; l < lanes; l++) {
                    out[l] = ScalarOps.unary(op, t, a[l]);
                }
            }
            case BINARY, COMPARE -> {
                DType t = types[in.a()];
                for (int l = 0; l < lanes; l++) {
                    out[l] = ScalarOps.binary(op, t, a[l], b[l]);
                }
            }
            case TERNARY -> {
                if (op == Op.FMA) {
                    for (int l = 0; l < lanes; l++) {
                        out[l] = ScalarOps.fma(in.type(), a[l], b[l], c[l]);
                    }
                } else {
                    for (int l = 0; l < lanes; l++) {
                        out[l] = a[l] != 0 ? b[l] : c[l];
                    }
                }
            }
            case CONVERT -> {
                DType from = types[in.a()];
                for (int l = 0; l < lanes; l++) {
                    out[l] = op == Op.CAST ? ScalarOps.cast(from, in.type(), a[l]) : ScalarOps.bitcast(from, in.type(), a[l]);
                }
            }
            case SIDE_EFFECT -> {
                ReferenceBuffer buf = buffers[(int) in.imm()];
                DType t = buf.dtype();
                for (int l = 0; l < lanes; l++) {
                    long index = a[l];
                    if (c[l] == 0 || index < 0 || index >= d[l]) {
                        continue;
                    }
                    long value = b[l];
                    long next = switch (op) {
                        case SCATTER -> value;
                        case SCATTER_ADD -> ScalarOps.binary(Op.ADD, t, buf.get(index), value);
                        case SCATTER_MIN -> ScalarOps.binary(Op.MIN, t, buf.get(index), value);
                        default -> ScalarOps.binary(Op.MAX, t, buf.get(index), value);
                    };
                    buf.set(index, next);
                }
            }
        }
    }
}
