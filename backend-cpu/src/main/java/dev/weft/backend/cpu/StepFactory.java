package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.List;

/**
 * Picks the {@link Step} for one instruction: a specialized chunk loop for the op and register
 * class where there is one, else {@link FallbackStep} (the reference's own scalar code).
 */
final class StepFactory {
    private StepFactory() {}

    static Step step(int self, List<Kernel.Instr> code, DType[] types, int[] reg, int[][] components) {
        Kernel.Instr in = code.get(self);
        Op op = in.op();
        DType t = in.type();
        int out = reg[self];
        int a = in.a() >= 0 ? reg[in.a()] : -1;
        int b = in.b() >= 0 ? reg[in.b()] : -1;
        int c = in.c() >= 0 ? reg[in.c()] : -1;
        int d = in.d() >= 0 ? reg[in.d()] : -1;
        Step s = switch (op) {
            case LITERAL -> LeafSteps.literal(t, out, in.imm());
            case PARAM -> LeafSteps.param(t, out, (int) in.imm());
            case LANE -> LeafSteps.lane(out);
            case LOAD -> MemorySteps.load(t, (int) in.imm(), out, a);
            case GATHER -> MemorySteps.gather(t, (int) in.imm(), out, a, b, c);
            case SCATTER -> ScatterSteps.store(t, (int) in.imm(), a, b, c, d);
            case SCATTER_ADD, SCATTER_MIN, SCATTER_MAX -> {
                Kernel.Instr index = code.get(in.a());
                if (index.op() != Op.LITERAL) {
                    yield ScatterSteps.update(op, t, (int) in.imm(), a, b, c, d);
                }
                // a literal index makes a lane reduction (Kernel's contract); a negative one writes nothing
                int target = (int) index.imm();
                yield target < 0 ? Step.of(f -> Step.NOTHING)
                        : ScatterSteps.reduction(op, t, (int) in.imm(), target, b, c, d);
            }
            case MATVEC -> CpuCoopVec.matvec(self, in, reg, components[self]);
            case EXTRACT -> Step.of(f -> Step.NOTHING);
            case OUTER_ADD -> CpuCoopVec.outerAdd(in, reg);
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
        return s != null ? s : new FallbackStep(self, in, types, reg);
    }
}
