package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes into buffers, lanes whose mask is false or whose index is outside {@code [0, bound)}
 * doing nothing.
 *
 * <ul>
 *   <li>{@code SCATTER} stores: lanes of one kernel store to distinct places (Kernel's contract),
 *       so plain stores from several threads are race free; a chunk that stores to consecutive
 *       places, all in range and unmasked, is one bulk copy.
 *   <li>{@code SCATTER_ADD/MIN/MAX} at a literal index is a lane reduction: each thread folds its
 *       lanes into a partial of its own (float sums in F32 for F16 memory), and {@link #finish}
 *       folds the partials into memory once per launch.
 *   <li>{@code SCATTER_ADD/MIN/MAX} at computed indices updates each element with a
 *       compare-and-set loop on the buffer ({@link CpuBuffer#update}), so that colliding lanes on
 *       different threads never lose an update; each update rounds as the reference's does.
 * </ul>
 */
final class ScatterSteps {
    private ScatterSteps() {}

    static ValueLayout layout(DType type) {
        return switch (type) {
            case F16 -> CpuBuffer.SHORT;
            case F32 -> CpuBuffer.FLOAT;
            case F64 -> CpuBuffer.DOUBLE;
            case I32, U32 -> CpuBuffer.INT;
            case I64, U64 -> CpuBuffer.LONG;
            case BOOL -> CpuBuffer.BYTE;
        };
    }

    static Object array(Frame f, DType type, int reg) {
        return switch (RegisterClass.of(type)) {
            case FLOAT -> f.floats[reg];
            case DOUBLE -> f.doubles[reg];
            case INT -> f.ints[reg];
            case LONG -> f.longs[reg];
            case BOOL -> f.bools[reg];
            case HALF -> f.halves[reg];
        };
    }

    static Step store(DType type, int slot, int indexReg, int valueReg, int maskReg, int boundReg) {
        ValueLayout layout = layout(type);
        return Step.of(f -> {
            int[] index = f.ints[indexReg];
            byte[] mask = f.bools[maskReg];
            int[] bound = f.ints[boundReg];
            Object values = array(f, type, valueReg);
            long[] bits = f.scratch[0];
            return (base, lanes) -> {
                CpuBuffer buffer = f.launch.buffers[slot];
                if (allConsecutiveInRange(index, mask, bound, lanes)) {
                    MemorySegment.copy(values, 0, buffer.memory, layout, (long) index[0] * type.bytes(), lanes);
                    return;
                }
                f.readBits(type, valueReg, bits, lanes);
                for (int l = 0; l < lanes; l++) {
                    int i = index[l];
                    if (mask[l] != 0 && i >= 0 && i < bound[l]) {
                        buffer.set(i, bits[l]);
                    }
                }
            };
        });
    }

    private static boolean allConsecutiveInRange(int[] index, byte[] mask, int[] bound, int lanes) {
        int first = index[0];
        if (first < 0) {
            return false;
        }
        boolean ok = true;
        for (int l = 0; l < lanes; l++) {
            ok &= index[l] == first + l & mask[l] != 0 & first + l < bound[l];
        }
        return ok && first + lanes > first; // no int overflow
    }

    /** {@code SCATTER_ADD/MIN/MAX} at computed indices, one atomic update per live lane. */
    static Step update(Op scatter, DType type, int slot, int indexReg, int valueReg, int maskReg, int boundReg) {
        Op op = combiner(scatter);
        return Step.of(f -> {
            int[] index = f.ints[indexReg];
            byte[] mask = f.bools[maskReg];
            int[] bound = f.ints[boundReg];
            long[] bits = f.scratch[0];
            return (base, lanes) -> {
                CpuBuffer buffer = f.launch.buffers[slot];
                f.readBits(type, valueReg, bits, lanes);
                for (int l = 0; l < lanes; l++) {
                    int i = index[l];
                    if (mask[l] != 0 && i >= 0 && i < bound[l]) {
                        buffer.update(op, i, bits[l]);
                    }
                }
            };
        });
    }

    static Op combiner(Op scatter) {
        return switch (scatter) {
            case SCATTER_ADD -> Op.ADD;
            case SCATTER_MIN -> Op.MIN;
            case SCATTER_MAX -> Op.MAX;
            default -> throw new AssertionError("ScatterSteps: " + scatter + " does not combine");
        };
    }

    /** A lane reduction: {@code SCATTER_ADD/MIN/MAX} whose index is the literal {@code target}. */
    static Step reduction(Op scatter, DType type, int slot, long target, int valueReg, int maskReg, int boundReg) {
        return new LaneReduction(combiner(scatter), type, slot, target, valueReg, maskReg, boundReg);
    }

    /** Per-thread partials of one lane reduction, folded into memory at the end of a launch. */
    private static final class LaneReduction extends Step {
        private final Op op;
        private final DType type;
        private final int slot;
        private final long target;
        private final int valueReg;
        private final int maskReg;
        private final int boundReg;

        LaneReduction(Op op, DType type, int slot, long target, int valueReg, int maskReg, int boundReg) {
            this.op = op;
            this.type = type;
            this.slot = slot;
            this.target = target;
            this.valueReg = valueReg;
            this.maskReg = maskReg;
            this.boundReg = boundReg;
        }

        /** One thread's partial: a float, double or integer sum, or canonical bits for min/max. */
        private final class Partial implements Exec {
            final Frame f;
            final byte[] mask;
            final int[] bound;
            float floatSum;
            double doubleSum;
            long bits;
            boolean touched;

            Partial(Frame f) {
                this.f = f;
                this.mask = f.bools[maskReg];
                this.bound = f.ints[boundReg];
            }

            @Override
            public void reset() {
                floatSum = -0.0f; // the additive identity: -0 + -0 stays -0, as in the reference
                doubleSum = -0.0;
                bits = 0;
                touched = false;
            }

            private boolean live(int l) {
                return mask[l] != 0 && target < bound[l];
            }

            @Override
            public void run(long base, int lanes) {
                if (op != Op.ADD) {
                    long[] v = f.scratch[0];
                    f.readBits(type, valueReg, v, lanes);
                    for (int l = 0; l < lanes; l++) {
                        if (live(l)) {
                            bits = touched ? ScalarOps.binary(op, type, bits, v[l]) : v[l];
                            touched = true;
                        }
                    }
                    return;
                }
                switch (type) {
                    case F32 -> {
                        float[] v = f.floats[valueReg];
                        float s0 = -0.0f;
                        float s1 = -0.0f;
                        int l = 0;
                        for (; l + 1 < lanes; l += 2) {
                            s0 += live(l) ? v[l] : -0.0f;
                            s1 += live(l + 1) ? v[l + 1] : -0.0f;
                        }
                        for (; l < lanes; l++) {
                            s0 += live(l) ? v[l] : -0.0f;
                        }
                        floatSum += s0 + s1;
                    }
                    case F16 -> {
                        short[] v = f.halves[valueReg];
                        float s = -0.0f;
                        for (int l = 0; l < lanes; l++) {
                            s += live(l) ? Float.float16ToFloat(v[l]) : -0.0f;
                        }
                        floatSum += s;
                    }
                    case F64 -> {
                        double[] v = f.doubles[valueReg];
                        double s = -0.0;
                        for (int l = 0; l < lanes; l++) {
                            s += live(l) ? v[l] : -0.0;
                        }
                        doubleSum += s;
                    }
                    case I32, U32 -> {
                        int[] v = f.ints[valueReg];
                        long s = 0;
                        for (int l = 0; l < lanes; l++) {
                            s += live(l) ? v[l] : 0;
                        }
                        bits += s;
                    }
                    case I64, U64 -> {
                        long[] v = f.longs[valueReg];
                        long s = 0;
                        for (int l = 0; l < lanes; l++) {
                            s += live(l) ? v[l] : 0;
                        }
                        bits += s;
                    }
                    case BOOL -> throw new AssertionError("scatter-add into BOOL memory (the tracer rejects it)");
                }
                touched = true;
            }
        }

        @Override
        Exec bind(Frame frame) {
            return new Partial(frame);
        }

        @Override
        void finish(Launch launch, Exec[] execs) {
            CpuBuffer buffer = launch.buffers[slot];
            for (Exec e : execs) {
                Partial p = (Partial) e;
                if (!p.touched) {
                    continue;
                }
                long old = buffer.get(target);
                long next;
                if (op != Op.ADD) {
                    next = ScalarOps.binary(op, type, old, p.bits);
                } else {
                    next = switch (type) {
                        case F32 -> ScalarOps.ofFloat(ScalarOps.asFloat(old) + p.floatSum);
                        case F16 -> ScalarOps.floatToHalf(ScalarOps.halfToFloat(old) + p.floatSum);
                        case F64 -> ScalarOps.ofDouble(ScalarOps.asDouble(old) + p.doubleSum);
                        default -> ScalarOps.normalize(type, old + p.bits);
                    };
                }
                buffer.set(target, next);
            }
        }
    }
}
