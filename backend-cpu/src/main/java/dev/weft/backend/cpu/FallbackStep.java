package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.Kernel;

/**
 * Any value op on any type, lane by lane through {@link ScalarOps}: the definition itself, so
 * it cannot disagree with the reference backend. Used for the rare op/type pairs that have no
 * specialized loop (U64 conversions, F64 to F16, BOOL comparisons, ...); its operands go
 * through canonical-bits scratch arrays of the frame.
 */
final class FallbackStep extends Step {
    private final Op op;
    private final DType type;
    private final DType[] operandTypes;
    private final int[] operandRegs;
    private final int out;

    /** One component of {@code in}: its operands' instruction indices and registers, and the result register. */
    FallbackStep(Kernel.Instr in, DType[] types, int[] operands, int[] operandRegs, int out) {
        this.op = in.op();
        this.type = in.type();
        this.operandTypes = new DType[operands.length];
        this.operandRegs = operandRegs.clone();
        for (int k = 0; k < operands.length; k++) {
            operandTypes[k] = types[operands[k]];
        }
        this.out = out;
    }

    @Override
    Exec bind(Frame f) {
        long[][] s = f.scratch;
        return (base, lanes) -> {
            for (int k = 0; k < operandRegs.length; k++) {
                f.readBits(operandTypes[k], operandRegs[k], s[k], lanes);
            }
            long[] y = s[3];
            long[] a = s[0];
            long[] b = s[1];
            long[] c = s[2];
            switch (op.kind()) {
                case UNARY, TRANSCENDENTAL -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = ScalarOps.unary(op, type, a[l]);
                    }
                }
                case BINARY, COMPARE -> {
                    DType t = operandTypes[0];
                    for (int l = 0; l < lanes; l++) {
                        y[l] = ScalarOps.binary(op, t, a[l], b[l]);
                    }
                }
                case TERNARY -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = op == Op.FMA ? ScalarOps.fma(type, a[l], b[l], c[l]) : ScalarOps.select(a[l], b[l], c[l]);
                    }
                }
                case CONVERT -> {
                    DType from = operandTypes[0];
                    for (int l = 0; l < lanes; l++) {
                        y[l] = op == Op.CAST ? ScalarOps.cast(from, type, a[l]) : ScalarOps.bitcast(from, type, a[l]);
                    }
                }
                default -> throw new AssertionError("FallbackStep: " + op + " is not a value op");
            }
            f.writeBits(type, out, y, lanes);
        };
    }
}
