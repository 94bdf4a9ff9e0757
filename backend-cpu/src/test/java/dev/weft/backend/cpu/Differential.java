package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Runs one kernel on the CPU backend and on the reference backend with the same buffer contents
 * and parameters, and hands back both final buffer contents (as bytes in the SPI's layout).
 */
final class Differential {
    static final Backend CPU = new CpuProvider().open(0);
    static final Backend REFERENCE = new ReferenceProvider().open(0);

    private Differential() {}

    /** The final bytes of every slot after the launch. */
    static byte[][] run(Backend backend, Kernel kernel, byte[][] initial, long[] params, long n) {
        return run(backend, backend.compile(kernel), kernel, initial, params, n);
    }

    static byte[][] run(Backend backend, dev.weft.spi.Program program, Kernel kernel, byte[][] initial, long[] params,
                        long n) {
        BufferHandle[] handles = new BufferHandle[initial.length];
        for (int s = 0; s < initial.length; s++) {
            DType t = kernel.slots().get(s);
            handles[s] = backend.alloc(t, initial[s].length / t.bytes());
            backend.copyIn(handles[s], 0, MemorySegment.ofArray(initial[s].clone()));
        }
        try {
            backend.launch(program, handles, params, n);
            byte[][] out = new byte[initial.length][];
            for (int s = 0; s < initial.length; s++) {
                out[s] = new byte[initial[s].length];
                backend.copyOut(handles[s], 0, MemorySegment.ofArray(out[s]));
            }
            return out;
        } finally {
            for (BufferHandle h : handles) {
                backend.free(h);
            }
        }
    }

    /** Asserts both backends leave every slot with the same bits. */
    static void assertSameBits(String what, Kernel kernel, byte[][] initial, long[] params, long n) {
        byte[][] cpu = run(CPU, kernel, initial, params, n);
        byte[][] ref = run(REFERENCE, kernel, initial, params, n);
        for (int s = 0; s < cpu.length; s++) {
            if (!Arrays.equals(cpu[s], ref[s])) {
                DType t = kernel.slots().get(s);
                int at = Arrays.mismatch(cpu[s], ref[s]) / t.bytes();
                throw new AssertionError(String.format("%s, n=%d: slot %d (%s) differs first at element %d: cpu %s, reference %s"
                                + " (inputs there: %s)%n%s", what, n, s, t, at, hex(cpu[s], at, t), hex(ref[s], at, t),
                        inputsAt(initial, kernel, at), kernel.listing()));
            }
        }
    }

    /**
     * As {@link #assertSameBits}, except that any NaN equals any NaN: for results whose NaN
     * payload depends on an order the IR leaves free (min/max scatters of several NaNs).
     */
    static void assertSameValuesAnyNaN(String what, Kernel kernel, byte[][] initial, long[] params, long n) {
        byte[][] cpu = run(CPU, kernel, initial, params, n);
        byte[][] ref = run(REFERENCE, kernel, initial, params, n);
        for (int s = 0; s < cpu.length; s++) {
            DType t = kernel.slots().get(s);
            for (int i = 0; i < cpu[s].length / t.bytes(); i++) {
                String c = hex(cpu[s], i, t);
                String r = hex(ref[s], i, t);
                if (!c.equals(r) && !(isNaN(cpu[s], i, t) && isNaN(ref[s], i, t))) {
                    throw new AssertionError(String.format("%s, n=%d: slot %d (%s) element %d: cpu %s, reference %s",
                            what, n, s, t, i, c, r));
                }
            }
        }
    }

    private static boolean isNaN(byte[] b, int i, DType t) {
        MemorySegment m = MemorySegment.ofArray(b);
        return switch (t) {
            case F16 -> Float.isNaN(Float.float16ToFloat(m.get(CpuBuffer.SHORT, i * 2L)));
            case F32 -> Float.isNaN(m.get(CpuBuffer.FLOAT, i * 4L));
            case F64 -> Double.isNaN(m.get(CpuBuffer.DOUBLE, i * 8L));
            default -> false;
        };
    }

    private static String inputsAt(byte[][] initial, Kernel kernel, int at) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < initial.length; s++) {
            DType t = kernel.slots().get(s);
            if ((long) (at + 1) * t.bytes() <= initial[s].length) {
                sb.append("slot ").append(s).append('=').append(hex(initial[s], at, t)).append(' ');
            }
        }
        return sb.toString();
    }

    static String hex(byte[] b, int element, DType t) {
        byte[] e = Arrays.copyOfRange(b, element * t.bytes(), (element + 1) * t.bytes());
        for (int i = 0; i < e.length / 2; i++) { // little-endian to readable
            byte x = e[i];
            e[i] = e[e.length - 1 - i];
            e[e.length - 1 - i] = x;
        }
        return "0x" + HexFormat.of().formatHex(e);
    }

    /** {@code n} elements of {@code type}: edge values (NaN, infinities, signed zeros, subnormals, extremes) mixed with random ones. */
    static byte[] values(DType type, int n, long seed) {
        Random r = new Random(seed);
        MemorySegment m = MemorySegment.ofArray(new byte[n * type.bytes()]);
        long[] edges = edges(type);
        for (int i = 0; i < n; i++) {
            long bits;
            int pick = r.nextInt(4);
            if (pick == 0) {
                bits = edges[r.nextInt(edges.length)];
            } else if (pick == 1) {
                bits = r.nextLong(); // any bits
            } else {
                bits = moderate(type, r);
            }
            write(m, type, i, bits);
        }
        return m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    static void write(MemorySegment m, DType type, int i, long bits) {
        switch (type) {
            case BOOL -> m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (bits & 1));
            case F16 -> m.set(CpuBuffer.SHORT, i * 2L, (short) bits);
            case F32, I32, U32 -> m.set(CpuBuffer.INT, i * 4L, (int) bits);
            default -> m.set(CpuBuffer.LONG, i * 8L, bits);
        }
    }

    private static long moderate(DType type, Random r) {
        double v = (r.nextDouble() - 0.5) * (r.nextBoolean() ? 8 : 2000);
        return switch (type) {
            case F16 -> Float.floatToFloat16((float) v) & 0xFFFFL;
            case F32 -> Float.floatToRawIntBits((float) v);
            case F64 -> Double.doubleToRawLongBits(v);
            case BOOL -> r.nextInt(2);
            default -> (long) v;
        };
    }

    private static long[] edges(DType type) {
        return switch (type) {
            case F16 -> new long[] {0, 0x8000, 0x3C00, 0xBC00, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFE01, 0x0001, 0x03FF, 0x8001,
                0x83FF, 0x0400, 0x7BFF, 0xFBFF, 0x3800, 0x3E00, 0x4100, 0xC100};
            case F32 -> floats(0f, -0f, 1f, -1f, 0.5f, 1.5f, 2.5f, -2.5f, -0.5f, Float.NaN, Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE,
                    -Float.MAX_VALUE, 3e9f, -3e9f, 2.1474836E9f, 1.8446744E19f, 16777217f, 65520f, 65504f, 6e-8f, 3e-8f,
                    0x1.002p-14f, 8388609.5f);
            case F64 -> doubles(0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, Double.NaN, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 3e9, -3e9, 1e19, -1e19,
                    2e19, 1e300, 1e-310, 65504.0, 65520.0, 1.0000000596046448, 0x1.0000018p0, 4294967295.5);
            case I32 -> new long[] {0, 1, -1, 2, -2, 31, 32, 33, 63, 64, Integer.MIN_VALUE, Integer.MAX_VALUE, 7, -7, 16777217};
            case U32 -> new long[] {0, 1, 0xFFFF_FFFFL, 2, 31, 32, 33, 0x8000_0000L, 0x7FFF_FFFFL, 7};
            case I64, U64 -> new long[] {0, 1, -1, 2, 63, 64, 65, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 1L << 53,
                (1L << 53) + 1, -7};
            case BOOL -> new long[] {0, 1};
        };
    }

    private static long[] floats(float... v) {
        long[] b = new long[v.length + 1];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        b[v.length] = 0x7FC0_1234; // a NaN with a payload
        return b;
    }

    private static long[] doubles(double... v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }
}
