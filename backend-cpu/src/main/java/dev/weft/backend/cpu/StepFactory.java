package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.List;

/**
 * Picks the chunk {@link Step} of one instruction: a specialized chunk loop for the op and
 * register class where there is one, else {@link FallbackStep} (the reference's own scalar code).
 * An element-wise instruction on vectors is its scalar step once per component (operands of
 * length 1 give every component their one register), so no op has vector code of its own.
 */
final class StepFactory {
    private StepFactory() {}

    static Step step(int self, List<Kernel.Instr> code, DType[] types, int[][] reg, boolean[] once,
                     MatvecEpilogues epilogues) {
        Kernel.Instr in = code.get(self);
        return switch (in.op()) {
            case MATVEC -> matvec(self, code, reg, once, epilogues);
            case OUTER_ADD -> CpuCoopVec.outerAdd(in, reg[in.a()], reg[in.b()]);
            case EXTRACT -> Step.of(f -> Step.NOTHING); // its register is the vector's component
            case PACK -> {
                Step[] copies = new Step[in.length()];
                for (int c = 0; c < copies.length; c++) {
                    copies[c] = ConvertSteps.copy(in.type(), reg[self][c], reg[in.operands().get(c)][0]);
                }
                yield Step.perComponent(copies);
            }
            case LOAD -> {
                Step[] loads = new Step[in.length()];
                for (int c = 0; c < loads.length; c++) {
                    loads[c] = MemorySteps.load(in.type(), (int) in.imm(), reg[self][c], reg[in.a()][0], c);
                }
                yield Step.perComponent(loads);
            }
            default -> {
                if (in.length() == 1) {
                    yield scalar(self, code, types, reg, 0);
                }
                Step[] parts = new Step[in.length()];
                for (int c = 0; c < parts.length; c++) {
                    parts[c] = scalar(self, code, types, reg, c);
                }
                yield Step.perComponent(parts);
            }
        };
    }

    /** A {@code MATVEC}, with the readers its step computes ({@link MatvecEpilogues}). */
    private static Step matvec(int self, List<Kernel.Instr> code, int[][] reg, boolean[] once,
                               MatvecEpilogues epilogues) {
        Kernel.Instr in = code.get(self);
        int bias = once[in.b()] ? in.b() : -1;
        int rows = in.length();
        int max = epilogues.max(self);
        int select = epilogues.select(self);
        if (max >= 0) {
            int compare = epilogues.compare(self);
            int[] masks = compare >= 0 ? reg[compare] : null;
            boolean greater = compare >= 0 && code.get(compare).op() == Op.GT;
            int compareConstant = compare >= 0 ? code.get(compare).b() : -1;
            return CpuCoopVec.matvec(self, in, reg[in.a()], reg[in.b()], reg[max], bias,
                    f -> TileEpilogue.activation(code.get(max).b(), masks == null ? null : bools(f, masks, rows),
                            greater, compareConstant));
        }
        if (select >= 0) {
            Kernel.Instr s = code.get(select);
            int[] masks = reg[s.a()];
            return CpuCoopVec.matvec(self, in, reg[in.a()], reg[in.b()], reg[select], bias,
                    f -> TileEpilogue.masked(bools(f, masks, rows), s.c()));
        }
        return CpuCoopVec.matvec(self, in, reg[in.a()], reg[in.b()], reg[self], bias);
    }

    /** The BOOL registers of a vector of {@code length} in frame {@code f} (one register stands for every component). */
    private static byte[][] bools(Frame f, int[] regs, int length) {
        byte[][] out = new byte[length][];
        for (int c = 0; c < length; c++) {
            out[c] = f.bools[regs.length == 1 ? regs[0] : regs[c]];
        }
        return out;
    }

    /** Register of component {@code c} of operand {@code arg} (its only one for a scalar), or -1 if absent. */
    private static int component(int[][] reg, int arg, int c) {
        if (arg < 0) {
            return -1;
        }
        int[] r = reg[arg];
        return r.length == 1 ? r[0] : r[c];
    }

    /** The step of component {@code c} of a scalar or element-wise instruction. */
    private static Step scalar(int self, List<Kernel.Instr> code, DType[] types, int[][] reg, int comp) {
        Kernel.Instr in = code.get(self);
        Op op = in.op();
        DType t = in.type();
        int out = in.op().isSideEffect() ? -1 : reg[self][comp];
        int a = component(reg, in.a(), comp);
        int b = component(reg, in.b(), comp);
        int c = component(reg, in.c(), comp);
        int d = component(reg, in.d(), comp);
        Step s = switch (op) {
            case LITERAL, PARAM -> throw new AssertionError("StepFactory: " + op + " is computed once per launch");
            case LANE -> LeafSteps.lane(out);
            case GATHER -> MemorySteps.gather(t, (int) in.imm(), out, a, b, c);
            case SCATTER -> ScatterSteps.store(t, (int) in.imm(), a, b, c, d);
            case SCATTER_ADD, SCATTER_MIN, SCATTER_MAX -> {
                // a literal index makes a lane reduction (Kernel's contract); a negative one writes nothing
                Kernel.Instr index = code.get(in.a());
                if (index.op() != Op.LITERAL) {
                    yield ScatterSteps.update(op, t, (int) in.imm(), a, b, c, d);
                }
                int target = (int) index.imm();
                yield target < 0 ? Step.of(f -> Step.NOTHING)
                        : ScatterSteps.reduction(op, t, (int) in.imm(), target, b, c, d);
            }
            case FMA -> switch (t) {
                case F32 -> FloatSteps.fma(out, a, b, c);
                case F64 -> DoubleSteps.fma(out, a, b, c);
                case I32, U32 -> IntSteps.fma(out, a, b, c);
                case I64, U64 -> LongSteps.fma(out, a, b, c);
                default -> null;
            };
            case SELECT -> switch (RegisterClass.of(t)) {
                case FLOAT -> FloatSteps.select(out, a, b, c);
                case DOUBLE -> DoubleSteps.select(out, a, b, c);
                case INT -> IntSteps.select(out, a, b, c);
                case LONG -> LongSteps.select(out, a, b, c);
                case BOOL -> BoolSteps.select(out, a, b, c);
                case HALF -> BoolSteps.selectHalf(out, a, b, c);
            };
            case CAST -> ConvertSteps.cast(types[in.a()], t, out, a);
            case BITCAST -> ConvertSteps.bitcast(types[in.a()], t, out, a);
            default -> switch (op.kind()) {
                case UNARY -> switch (t) {
                    case F32 -> FloatSteps.unary(op, out, a);
                    case F64 -> DoubleSteps.unary(op, out, a);
                    case I32, U32 -> IntSteps.unary(op, t.isUnsigned(), out, a);
                    case I64, U64 -> LongSteps.unary(op, t.isUnsigned(), out, a);
                    case BOOL -> op == Op.NOT ? BoolSteps.not(out, a) : null;
                    case F16 -> null;
                };
                case BINARY -> switch (types[in.a()]) {
                    case F32 -> FloatSteps.binary(op, out, a, b);
                    case F64 -> DoubleSteps.binary(op, out, a, b);
                    case I32, U32 -> IntSteps.binary(op, types[in.a()].isUnsigned(), out, a, b);
                    case I64, U64 -> LongSteps.binary(op, types[in.a()].isUnsigned(), out, a, b);
                    case BOOL -> BoolSteps.binary(op, out, a, b);
                    case F16 -> null;
                };
                case COMPARE -> switch (types[in.a()]) {
                    case F32 -> FloatSteps.compare(op, out, a, b);
                    case F64 -> DoubleSteps.compare(op, out, a, b);
                    case I32, U32 -> IntSteps.compare(op, types[in.a()].isUnsigned(), out, a, b);
                    case I64, U64 -> LongSteps.compare(op, types[in.a()].isUnsigned(), out, a, b);
                    default -> null;
                };
                default -> null; // transcendentals: lowered by the core, but defined by the fallback
            };
        };
        if (s != null) {
            return s;
        }
        int[] operands = CpuCompiler.operandsOf(in);
        int[] regs = new int[operands.length];
        for (int k = 0; k < operands.length; k++) {
            regs[k] = component(reg, operands[k], comp);
        }
        return new FallbackStep(in, types, operands, regs, out);
    }
}
