package dev.weft.io;

import dev.weft.DType;
import dev.weft.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * Tensors to and from the little-endian bytes of a safetensors file, through the public tensor API
 * only (reads with {@code toFloatArray} and friends, {@code bitcast} where a type has no exact
 * host conversion; uploads with {@code Tensor.of}).
 */
final class SafetensorsCodec {
    private static final Map<DType, String> NAMES = Map.of(DType.F16, "F16", DType.F32, "F32", DType.F64, "F64",
            DType.I32, "I32", DType.U32, "U32", DType.I64, "I64", DType.U64, "U64", DType.BOOL, "BOOL");

    private SafetensorsCodec() {}

    /** The format's name of {@code dtype}. */
    static String name(DType dtype) {
        return NAMES.get(dtype);
    }

    /** The dtype of a format name, or null if Weft has no such dtype. */
    static DType dtype(String name) {
        for (Map.Entry<DType, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The names Weft reads, for error messages. */
    static String supported() {
        return "F16, F32, F64, I32, U32, I64, U64, BOOL";
    }

    /** The tensor's elements, row-major, little-endian (it is evaluated first). */
    static byte[] bytes(Tensor t) {
        int n = Math.toIntExact(t.numel());
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (n == 0) {
            return b.array();
        }
        switch (t.dtype()) {
            case F16 -> {
                for (float f : t.toFloatArray()) {
                    b.putShort(Float.floatToFloat16(f));
                }
            }
            case F32 -> {
                for (float f : t.toFloatArray()) {
                    b.putFloat(f);
                }
            }
            case F64 -> {
                for (double d : t.toDoubleArray()) {
                    b.putLong(Double.doubleToRawLongBits(d));
                }
            }
            case I32, U32 -> {
                for (int i : (t.dtype() == DType.U32 ? t.bitcast(DType.I32) : t).toIntArray()) {
                    b.putInt(i);
                }
            }
            case I64, U64 -> {
                for (double d : t.bitcast(DType.F64).toDoubleArray()) {
                    b.putLong(Double.doubleToRawLongBits(d));
                }
            }
            case BOOL -> {
                for (int i : t.toIntArray()) {
                    b.put((byte) (i != 0 ? 1 : 0));
                }
            }
        }
        return b.array();
    }

    /** A tensor of {@code dtype} and {@code shape} holding the little-endian elements of {@code data}. */
    static Tensor tensor(DType dtype, long[] shape, ByteBuffer data) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        Tensor flat = switch (dtype) {
            case F16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.float16ToFloat(data.getShort());
                }
                yield Tensor.of(f).to(DType.F16);
            }
            case F32 -> {
                float[] f = new float[n];
                data.asFloatBuffer().get(f);
                yield Tensor.of(f);
            }
            case F64, I64, U64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Double.longBitsToDouble(data.getLong());
                }
                Tensor raw = Tensor.of(d);
                yield dtype == DType.F64 ? raw : raw.bitcast(dtype);
            }
            case I32, U32 -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                Tensor raw = Tensor.of(v);
                yield dtype == DType.U32 ? raw.bitcast(DType.U32) : raw;
            }
            case BOOL -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get();
                }
                yield Tensor.of(v).to(DType.BOOL);
            }
        };
        return shape.length == 1 ? flat : flat.reshape(shape);
    }
}
