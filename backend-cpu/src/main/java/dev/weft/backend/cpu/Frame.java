package dev.weft.backend.cpu;

import dev.weft.DType;
import java.util.Arrays;

/**
 * One worker's registers for one program: a chunk-sized array per register of each
 * {@link RegisterClass}, plus the state of the launch it runs in. A frame is used by one thread
 * at a time; its arrays are allocated once and reused by every launch of the program.
 */
final class Frame {
    final float[][] floats;
    final double[][] doubles;
    final int[][] ints;
    final long[][] longs;
    final byte[][] bools;
    final short[][] halves;
    /** Scratch for steps that work on canonical bits (the scalar fallback). */
    final long[][] scratch = new long[4][CpuProgram.CHUNK];
    /** The launch this frame takes part in now (set by the caller before workers start). */
    Launch launch;

    Frame(int[] registersPerClass) {
        int c = CpuProgram.CHUNK;
        floats = new float[registersPerClass[RegisterClass.FLOAT.ordinal()]][c];
        doubles = new double[registersPerClass[RegisterClass.DOUBLE.ordinal()]][c];
        ints = new int[registersPerClass[RegisterClass.INT.ordinal()]][c];
        longs = new long[registersPerClass[RegisterClass.LONG.ordinal()]][c];
        bools = new byte[registersPerClass[RegisterClass.BOOL.ordinal()]][c];
        halves = new short[registersPerClass[RegisterClass.HALF.ordinal()]][c];
    }

    /** Copies lanes {@code 0..lanes-1} of register {@code reg} (of {@code type}) into {@code out} as canonical bits. */
    void readBits(DType type, int reg, long[] out, int lanes) {
        switch (type) {
            case F32 -> {
                float[] r = floats[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = Float.floatToRawIntBits(r[l]);
                }
            }
            case F64 -> {
                double[] r = doubles[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = Double.doubleToRawLongBits(r[l]);
                }
            }
            case I32 -> {
                int[] r = ints[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = r[l];
                }
            }
            case U32 -> {
                int[] r = ints[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = r[l] & 0xFFFF_FFFFL;
                }
            }
            case I64, U64 -> System.arraycopy(longs[reg], 0, out, 0, lanes);
            case BOOL -> {
                byte[] r = bools[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = r[l];
                }
            }
            case F16 -> {
                short[] r = halves[reg];
                for (int l = 0; l < lanes; l++) {
                    out[l] = r[l] & 0xFFFFL;
                }
            }
        }
    }

    /** Writes canonical bits {@code in[0..lanes-1]} into register {@code reg} of {@code type}. */
    void writeBits(DType type, int reg, long[] in, int lanes) {
        switch (type) {
            case F32 -> {
                float[] r = floats[reg];
                for (int l = 0; l < lanes; l++) {
                    r[l] = Float.intBitsToFloat((int) in[l]);
                }
            }
            case F64 -> {
                double[] r = doubles[reg];
                for (int l = 0; l < lanes; l++) {
                    r[l] = Double.longBitsToDouble(in[l]);
                }
            }
            case I32, U32 -> {
                int[] r = ints[reg];
                for (int l = 0; l < lanes; l++) {
                    r[l] = (int) in[l];
                }
            }
            case I64, U64 -> System.arraycopy(in, 0, longs[reg], 0, lanes);
            case BOOL -> {
                byte[] r = bools[reg];
                for (int l = 0; l < lanes; l++) {
                    r[l] = (byte) (in[l] != 0 ? 1 : 0);
                }
            }
            case F16 -> {
                short[] r = halves[reg];
                for (int l = 0; l < lanes; l++) {
                    r[l] = (short) in[l];
                }
            }
        }
    }

    /** Sets lanes {@code 0 .. count-1} of a register to one value (a value computed once per launch). */
    void fillBits(DType type, int reg, long bits, int count) {
        switch (type) {
            case F32 -> Arrays.fill(floats[reg], 0, count, Float.intBitsToFloat((int) bits));
            case F64 -> Arrays.fill(doubles[reg], 0, count, Double.longBitsToDouble(bits));
            case I32, U32 -> Arrays.fill(ints[reg], 0, count, (int) bits);
            case I64, U64 -> Arrays.fill(longs[reg], 0, count, bits);
            case BOOL -> Arrays.fill(bools[reg], 0, count, (byte) (bits != 0 ? 1 : 0));
            case F16 -> Arrays.fill(halves[reg], 0, count, (short) bits);
        }
    }
}
