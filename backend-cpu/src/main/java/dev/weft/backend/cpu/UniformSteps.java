package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.Kernel;
import java.util.List;

/**
 * Values computed once per launch (see {@link CpuCompiler}): literals, parameters, loads at
 * uniform indices (a bias vector) and arithmetic of such values. {@link #evaluate} computes all of
 * them on the calling thread before any chunk runs, one lane with {@link ScalarOps} (the
 * definition the chunk steps match bit for bit), into the launch's {@code uniform} table;
 * {@link #broadcast} fills the registers of one of them once per launch on each worker, for the
 * chunk steps that read it.
 */
final class UniformSteps {
    private UniformSteps() {}

    static Step evaluate(List<Kernel.Instr> code, boolean[] once) {
        DType[] types = new DType[code.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = code.get(i).type();
        }
        return new Step() {
            @Override
            void prepare(Launch launch) {
                long[][] u = launch.uniform;
                for (int i = 0; i < once.length; i++) {
                    if (once[i]) {
                        u[i] = value(code.get(i), types, u, launch);
                    }
                }
            }

            @Override
            Exec bind(Frame frame) {
                return NOTHING;
            }
        };
    }

    private static long[] value(Kernel.Instr in, DType[] types, long[][] u, Launch launch) {
        long[] v = new long[in.length()];
        Op op = in.op();
        switch (op) {
            case LITERAL -> v[0] = in.imm();
            case PARAM -> v[0] = launch.params[(int) in.imm()];
            case LOAD -> {
                CpuBuffer buffer = launch.buffers[(int) in.imm()];
                long index = (int) u[in.a()][0];
                for (int c = 0; c < v.length; c++) {
                    v[c] = buffer.get(index + c);
                }
            }
            case GATHER -> {
                long index = (int) u[in.a()][0];
                long bound = (int) u[in.b()][0];
                boolean live = u[in.c()][0] != 0 && index >= 0 && index < bound;
                v[0] = live ? launch.buffers[(int) in.imm()].get(index) : 0;
            }
            case PACK -> {
                for (int c = 0; c < v.length; c++) {
                    v[c] = u[in.operands().get(c)][0];
                }
            }
            case EXTRACT -> v[0] = u[in.a()][(int) in.imm()];
            default -> {
                for (int c = 0; c < v.length; c++) {
                    long a = component(u, in.a(), c);
                    v[c] = switch (op.kind()) {
                        case UNARY, TRANSCENDENTAL -> ScalarOps.unary(op, in.type(), a);
                        case BINARY, COMPARE -> ScalarOps.binary(op, types[in.a()], a, component(u, in.b(), c));
                        case TERNARY -> op == Op.FMA
                                ? ScalarOps.fma(in.type(), a, component(u, in.b(), c), component(u, in.c(), c))
                                : ScalarOps.select(a, component(u, in.b(), c), component(u, in.c(), c));
                        case CONVERT -> op == Op.CAST ? ScalarOps.cast(types[in.a()], in.type(), a)
                                : ScalarOps.bitcast(types[in.a()], in.type(), a);
                        default -> throw new AssertionError("UniformSteps: " + op + " is not computed once per launch");
                    };
                }
            }
        }
        return v;
    }

    private static long component(long[][] u, int operand, int c) {
        long[] v = u[operand];
        return v.length == 1 ? v[0] : v[c];
    }

    /** Fills the registers of uniform value {@code i} (one per component) once per launch. */
    static Step broadcast(int i, DType type, int[] regs) {
        return Step.of(f -> new Step.Exec() {
            @Override
            public void run(long base, int lanes) {}

            @Override
            public void reset() {
                long[] v = f.launch.uniform[i];
                // the lanes chunk steps touch: the launch's (up to a chunk), padded to whole vectors of any type
                int lanes = (int) Math.min(CpuProgram.CHUNK, Step.padded((int) Math.min(f.launch.n, CpuProgram.CHUNK),
                        128));
                for (int c = 0; c < regs.length; c++) {
                    f.fillBits(type, regs[c], v[c], lanes);
                }
            }
        });
    }
}
