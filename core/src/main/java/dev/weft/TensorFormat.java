package dev.weft;

import dev.weft.ir.ScalarOps;

/**
 * {@link Tensor#toString()}: the values in nested brackets as NumPy prints them, with long axes
 * summarized ({@code ...}) once a tensor has more than 1000 elements, then dtype, shape and
 * device. Reading the values evaluates the tensor.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        if (t.value.isFreed() || t.device().isClosed()) {
            return "Tensor(" + t.dtype() + " " + Shapes.str(t.value.shape) + ", "
                    + (t.value.isFreed() ? "freed" : "device closed") + ")";
        }
        long[] bits = t.value.readBits("toString()");
        long[] shape = t.value.shape;
        boolean summarize = bits.length > THRESHOLD;
        StringBuilder sb = new StringBuilder();
        append(sb, t.dtype(), bits, shape, 0, 0, summarize);
        sb.append(" (").append(t.dtype()).append(' ').append(Shapes.str(shape)).append(" on ").append(t.device())
                .append(')');
        return sb.toString();
    }

    private static void append(StringBuilder sb, DType type, long[] bits, long[] shape, int axis, long base,
                               boolean summarize) {
        if (axis == shape.length) {
            sb.append(value(type, bits[(int) base]));
            return;
        }
        long n = shape[axis];
        long stride = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            stride *= shape[k];
        }
        sb.append('[');
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append("...");
                i = n - EDGE - 1;
                separator(sb, shape, axis);
                continue;
            }
            append(sb, type, bits, shape, axis + 1, base + i * stride, summarize);
            if (i < n - 1) {
                separator(sb, shape, axis);
            }
        }
        sb.append(']');
    }

    private static void separator(StringBuilder sb, long[] shape, int axis) {
        sb.append(',');
        if (axis < shape.length - 1) {
            sb.append("\n".repeat(shape.length - 1 - axis)).append(" ".repeat(axis + 1));
        } else {
            sb.append(' ');
        }
    }

    private static String value(DType type, long bits) {
        return switch (type) {
            case F16, F32 -> Float.toString((float) ScalarOps.toDouble(type, bits));
            case F64 -> Double.toString(ScalarOps.toDouble(type, bits));
            case BOOL -> bits != 0 ? "true" : "false";
            case U64 -> Long.toUnsignedString(bits);
            default -> Long.toString(bits);
        };
    }
}
