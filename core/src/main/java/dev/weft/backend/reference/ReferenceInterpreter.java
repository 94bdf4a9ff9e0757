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
 * matches. A value has one register (an array over the chunk) per component; an element-wise
 * instruction on vectors runs its scalar code once per component. Chunks run in lane order, so
 * scatter-adds accumulate in lane order; uniform values are computed per lane like the others.
 */
final class ReferenceInterpreter {
    private static final int CHUNK = 1024;

    private ReferenceInterpreter() {}

    static void run(Kernel kernel, ReferenceBuffer[] buffers, long[] params, long n) {
        List<Kernel.Instr> code = kernel.instructions();
        int count = code.size();
        DType[] types = new DType[count];
        long[][][] regs = new long[count][][];
        long[][] sums = new long[count][];
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            regs[i] = new long[in.length()][CHUNK];
            types[i] = in.type();
            if (in.op() == Op.OUTER_ADD) {
                sums[i] = new long[in.matrix().rows() * in.matrix().cols()]; // zero bits are +0.0
            }
        }
        for (long base = 0; base < n; base += CHUNK) {
            int lanes = (int) Math.min(CHUNK, n - base);
            for (int i = 0; i < count; i++) {
                Kernel.Instr in = code.get(i);
                switch (in.op()) {
                    case MATVEC -> matvec(in, regs, regs[i], buffers[(int) in.imm()], lanes);
                    case EXTRACT -> System.arraycopy(regs[in.a()][(int) in.imm()], 0, regs[i][0], 0, lanes);
                    case PACK -> {
                        for (int c = 0; c < in.length(); c++) {
                            System.arraycopy(regs[in.operands().get(c)][0], 0, regs[i][c], 0, lanes);
                        }
                    }
                    case OUTER_ADD -> outerSums(in, regs, sums[i], lanes);
                    case LOAD -> {
                        ReferenceBuffer buf = buffers[(int) in.imm()];
                        long[] index = regs[in.a()][0];
                        for (int c = 0; c < in.length(); c++) {
                            long[] out = regs[i][c];
                            for (int l = 0; l < lanes; l++) {
                                out[l] = buf.get(index[l] + c);
                            }
                        }
                    }
                    default -> {
                        for (int c = 0; c < in.length(); c++) {
                            execute(in, types, component(regs, in.a(), c), component(regs, in.b(), c),
                                    component(regs, in.c(), c), component(regs, in.d(), c), regs[i][c], buffers,
                                    params, base, lanes);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (sums[i] != null) {
                addOuterSums(code.get(i), sums[i], buffers[(int) code.get(i).imm()]);
            }
        }
    }

    /** Component {@code c} of operand {@code arg} (its only one for a scalar, which stands for every component). */
    private static long[] component(long[][][] regs, int arg, int c) {
        if (arg < 0) {
            return null;
        }
        long[][] r = regs[arg];
        return r.length == 1 ? r[0] : r[c];
    }

    /** {@code y_r = fma(M[r][n-1], x_{n-1}, ... fma(M[r][0], x_0, b_r))}, in the instruction's type. */
    private static void matvec(Kernel.Instr in, long[][][] regs, long[][] out, ReferenceBuffer buf, int lanes) {
        MatrixAccess m = in.matrix();
        DType t = in.type();
        int inputs = m.inputLength();
        for (int r = 0; r < m.outputLength(); r++) {
            long[] y = out[r];
            System.arraycopy(component(regs, in.b(), r), 0, y, 0, lanes);
            for (int c = 0; c < inputs; c++) {
                long w = ScalarOps.cast(buf.dtype(), t, buf.get(m.index(r, c)));
                long[] x = component(regs, in.a(), c);
                for (int l = 0; l < lanes; l++) {
                    y[l] = ScalarOps.fma(t, w, x[l], y[l]);
                }
            }
        }
    }

    /** Adds this chunk's {@code u_i * v_j} to the launch-wide sums, lane by lane with fma. */
    private static void outerSums(Kernel.Instr in, long[][][] regs, long[] sums, int lanes) {
        MatrixAccess m = in.matrix();
        DType t = in.type();
        for (int i = 0; i < m.rows(); i++) {
            long[] u = component(regs, in.a(), i);
            for (int j = 0; j < m.cols(); j++) {
                long[] v = component(regs, in.b(), j);
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

    /** One component of a scalar or element-wise instruction. */
    private static void execute(Kernel.Instr in, DType[] types, long[] a, long[] b, long[] c, long[] d, long[] out,
                                ReferenceBuffer[] buffers, long[] params, long base, int lanes) {
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
                for (int l = 0; l < lanes; l++) {
                    boolean inRange = c[l] != 0 && a[l] >= 0 && a[l] < b[l];
                    out[l] = inRange ? buf.get(a[l]) : 0;
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
