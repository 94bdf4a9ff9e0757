package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;

/**
 * Moves {@link Values} between the host and the current device through the public API only:
 * uploads build input tensors, reads return a result's exact bits.
 *
 * <p>Exactness: F16, F32, F64 and 32-bit integers are read through {@code toDoubleArray()},
 * which holds each of them exactly; I64 and U64 through {@code bitcast(F64)}, so values beyond
 * 2^53 keep every bit. Uploads use {@code Tensor.of} and, for types it has no overload for,
 * {@code bitcast} (U32, I64, U64: bits as they are) or a cast of exactly representable values
 * (F16 from F32, BOOL from 0/1).
 */
public final class DeviceIo {
    private DeviceIo() {}

    /** The bits of {@code t}, evaluated on its device. */
    public static Values read(Tensor t) {
        DType dtype = t.dtype();
        long[] bits;
        if (dtype == DType.I64 || dtype == DType.U64) {
            double[] raw = t.bitcast(DType.F64).toDoubleArray();
            bits = new long[raw.length];
            for (int i = 0; i < raw.length; i++) {
                bits[i] = Double.doubleToRawLongBits(raw[i]);
            }
        } else {
            double[] d = t.toDoubleArray();
            bits = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                bits[i] = switch (dtype) {
                    case F16 -> Float.floatToFloat16((float) d[i]);
                    case F32 -> Float.floatToRawIntBits((float) d[i]);
                    case F64 -> Double.doubleToRawLongBits(d[i]);
                    default -> (long) d[i];
                };
            }
        }
        return new Values(dtype, t.shape(), bits);
    }

    /** A tensor on the current device holding {@code v}. */
    public static Tensor upload(Values v) {
        long[] bits = v.bits();
        int n = bits.length;
        long[] shape = v.shape();
        Tensor t = switch (v.dtype()) {
            case F32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat((int) bits[i]);
                }
                yield Tensor.of(f);
            }
            case F16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.float16ToFloat((short) bits[i]);
                }
                yield Tensor.of(f).to(DType.F16);
            }
            case F64, I64, U64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Double.longBitsToDouble(bits[i]);
                }
                Tensor raw = Tensor.of(d);
                yield v.dtype() == DType.F64 ? raw : raw.bitcast(v.dtype());
            }
            case I32, U32, BOOL -> {
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (int) bits[i];
                }
                Tensor raw = Tensor.of(x);
                yield switch (v.dtype()) {
                    case U32 -> raw.bitcast(DType.U32);
                    case BOOL -> raw.to(DType.BOOL);
                    default -> raw;
                };
            }
        };
        return shape.length == 1 ? t : t.reshape(shape);
    }
}
