package dev.weft.backend.reference;

import dev.weft.DType;
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
        for (int i = 0; i < count; i++) {
            regs[i] = new long[CHUNK];
            types[i] = code.get(i).type();
        }
        for (long base = 0; base < n; base += CHUNK) {
            int lanes = (int) Math.min(CHUNK, n - base);
            for (int i = 0; i < count; i++) {
                execute(code.get(i), types, regs, i, buffers, params, base, lanes);
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
