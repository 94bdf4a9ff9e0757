package dev.weft.backend.cpu;

import dev.weft.DType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reads from buffers into registers: {@code LOAD} (index in range; component {@code c} of a vector
 * load reads {@code index + c}) and {@code GATHER} (index checked against a bound, under a mask,
 * 0 elsewhere). A load whose indices in this chunk are consecutive (the usual
 * {@code buffer[lane + offset]}) is one bulk copy; otherwise each lane reads its element.
 */
final class MemorySteps {
    private MemorySteps() {}

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** 0, 1, 2, ... across one vector of int lanes. */
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /** Whether {@code index[0..lanes-1]} counts up by one from {@code index[0]} (a vector compare per vector of lanes). */
    static boolean consecutive(int[] index, int lanes) {
        int first = index[0];
        int whole = lanes - lanes % I.length();
        for (int l = 0; l < whole; l += I.length()) {
            if (IntVector.fromArray(I, index, l).compare(VectorOperators.NE, IOTA.add(first + l)).anyTrue()) {
                return false;
            }
        }
        for (int l = Math.max(1, whole); l < lanes; l++) {
            if (index[l] != first + l) {
                return false;
            }
        }
        return true;
    }

    static Step load(DType type, int slot, int out, int indexReg, int shift) {
        return Step.of(f -> {
            int[] index = f.ints[indexReg];
            return switch (type) {
                case F32 -> {
                    float[] y = f.floats[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        if (consecutive(index, lanes)) {
                            MemorySegment.copy(m, CpuBuffer.FLOAT, (index[0] + (long) shift) * 4L, y, 0, lanes);
                        } else {
                            for (int l = 0; l < lanes; l++) {
                                y[l] = m.get(CpuBuffer.FLOAT, (index[l] + (long) shift) * 4L);
                            }
                        }
                    };
                }
                case F64 -> {
                    double[] y = f.doubles[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        if (consecutive(index, lanes)) {
                            MemorySegment.copy(m, CpuBuffer.DOUBLE, (index[0] + (long) shift) * 8L, y, 0, lanes);
                        } else {
                            for (int l = 0; l < lanes; l++) {
                                y[l] = m.get(CpuBuffer.DOUBLE, (index[l] + (long) shift) * 8L);
                            }
                        }
                    };
                }
                case I32, U32 -> {
                    int[] y = f.ints[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        if (consecutive(index, lanes)) {
                            MemorySegment.copy(m, CpuBuffer.INT, (index[0] + (long) shift) * 4L, y, 0, lanes);
                        } else {
                            for (int l = 0; l < lanes; l++) {
                                y[l] = m.get(CpuBuffer.INT, (index[l] + (long) shift) * 4L);
                            }
                        }
                    };
                }
                case I64, U64 -> {
                    long[] y = f.longs[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        if (consecutive(index, lanes)) {
                            MemorySegment.copy(m, CpuBuffer.LONG, (index[0] + (long) shift) * 8L, y, 0, lanes);
                        } else {
                            for (int l = 0; l < lanes; l++) {
                                y[l] = m.get(CpuBuffer.LONG, (index[l] + (long) shift) * 8L);
                            }
                        }
                    };
                }
                case F16 -> {
                    short[] y = f.halves[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        if (consecutive(index, lanes)) {
                            MemorySegment.copy(m, CpuBuffer.SHORT, (index[0] + (long) shift) * 2L, y, 0, lanes);
                        } else {
                            for (int l = 0; l < lanes; l++) {
                                y[l] = m.get(CpuBuffer.SHORT, (index[l] + (long) shift) * 2L);
                            }
                        }
                    };
                }
                case BOOL -> {
                    byte[] y = f.bools[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (byte) (m.get(CpuBuffer.BYTE, index[l] + (long) shift) != 0 ? 1 : 0);
                        }
                    };
                }
            };
        });
    }

    static Step gather(DType type, int slot, int out, int indexReg, int boundReg, int maskReg) {
        return Step.of(f -> {
            int[] index = f.ints[indexReg];
            int[] bound = f.ints[boundReg];
            byte[] mask = f.bools[maskReg];
            return switch (type) {
                case F32 -> {
                    float[] y = f.floats[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = mask[l] != 0 && i >= 0 && i < bound[l] ? m.get(CpuBuffer.FLOAT, i * 4L) : 0f;
                        }
                    };
                }
                case F64 -> {
                    double[] y = f.doubles[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = mask[l] != 0 && i >= 0 && i < bound[l] ? m.get(CpuBuffer.DOUBLE, i * 8L) : 0.0;
                        }
                    };
                }
                case I32, U32 -> {
                    int[] y = f.ints[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = mask[l] != 0 && i >= 0 && i < bound[l] ? m.get(CpuBuffer.INT, i * 4L) : 0;
                        }
                    };
                }
                case I64, U64 -> {
                    long[] y = f.longs[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = mask[l] != 0 && i >= 0 && i < bound[l] ? m.get(CpuBuffer.LONG, i * 8L) : 0L;
                        }
                    };
                }
                case F16 -> {
                    short[] y = f.halves[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = mask[l] != 0 && i >= 0 && i < bound[l] ? m.get(CpuBuffer.SHORT, i * 2L) : 0;
                        }
                    };
                }
                case BOOL -> {
                    byte[] y = f.bools[out];
                    yield (base, lanes) -> {
                        MemorySegment m = f.launch.buffers[slot].memory;
                        for (int l = 0; l < lanes; l++) {
                            int i = index[l];
                            y[l] = (byte) (mask[l] != 0 && i >= 0 && i < bound[l] && m.get(CpuBuffer.BYTE, i) != 0 ? 1 : 0);
                        }
                    };
                }
            };
        });
    }
}
