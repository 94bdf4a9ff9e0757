package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.OpaqueScalar;
import dev.weft.trace.Tracer;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creation of tensors: from host arrays (copied to the device at once), from constants and
 * ranges (lazy: a literal, or an expression of the lane index), and by stacking.
 */
final class Creation {
    private Creation() {}

    /** An F32 tensor holding {@code data}; shape defaults to {@code [data.length]}. */
    static Tensor of(float[] data, long... shape) {
        Objects.requireNonNull(data, "Tensor.of(): data");
        long[] s = dataShape("Tensor.of(float[])", data.length, shape);
        MemorySegment seg = MemorySegment.ofArray(data.clone());
        return upload(DType.F32, s, seg);
    }

    /** An F64 tensor holding {@code data}. */
    static Tensor of(double[] data, long... shape) {
        Objects.requireNonNull(data, "Tensor.of(): data");
        long[] s = dataShape("Tensor.of(double[])", data.length, shape);
        return upload(DType.F64, s, MemorySegment.ofArray(data.clone()));
    }

    /** An I32 tensor holding {@code data}. */
    static Tensor of(int[] data, long... shape) {
        Objects.requireNonNull(data, "Tensor.of(): data");
        long[] s = dataShape("Tensor.of(int[])", data.length, shape);
        return upload(DType.I32, s, MemorySegment.ofArray(data.clone()));
    }

    private static long[] dataShape(String op, int length, long[] shape) {
        long[] s = shape == null || shape.length == 0 ? new long[] {length} : Shapes.checked(op, shape);
        checkArgument(Shapes.numel(s) == length, "%s: shape %s holds %s elements but %s values were given; "
                + "pass a shape whose product is %s", op, Shapes.str(s), Shapes.numel(s), length, length);
        return s;
    }

    private static Tensor upload(DType dtype, long[] shape, MemorySegment data) {
        Device device = Device.defaultDevice();
        long n = Shapes.numel(shape);
        Buffer buf = TensorValue.newBuffer(device, dtype, n);
        if (n > 0) {
            Scheduler.locked(() -> {
                device.backend().copyIn(buf.handle(), 0, data);
                return null;
            });
        }
        return TensorValue.fromBuffer(buf, shape, device);
    }

    /** A tensor of the given shape with every element {@code value} (nothing is stored until needed). */
    static Tensor full(DType dtype, double value, long... shape) {
        Objects.requireNonNull(dtype, "Tensor.full(): dtype");
        long[] s = Shapes.checked("Tensor.full()", shape);
        Node v = Tracer.literal(dtype, TensorValue.checkedScalar("Tensor.full()", dtype, value));
        return broadcastNode(v, s, dtype);
    }

    /** Every element {@code v} (a size-1 node) in the given shape, on the default device. */
    static Tensor broadcastNode(Node v, long[] shape, DType dtype) {
        int count = Shapes.isFlat(shape) ? 1 : (int) Shapes.components(shape);
        Node[] ns = new Node[count];
        Arrays.fill(ns, v);
        return TensorValue.make(shape, dtype, Device.defaultDevice(), ns);
    }

    /** {@code [0, 1, ..., n-1]} as a 1-D tensor of {@code dtype}. */
    static Tensor arange(DType dtype, long n) {
        Objects.requireNonNull(dtype, "Tensor.arange(): dtype");
        long[] s = Shapes.checked("Tensor.arange()", new long[] {n});
        checkArgument(dtype != DType.BOOL, "Tensor.arange(): BOOL has no range; use an integer or float dtype");
        Node lane = Tracer.cast(Tracer.lane((int) n), dtype);
        return TensorValue.make(s, dtype, Device.defaultDevice(), new Node[] {lane});
    }

    /**
     * {@code n} evenly spaced values from {@code from} to {@code to} inclusive, computed in
     * double precision and rounded once to {@code dtype} (as NumPy).
     */
    static Tensor linspace(DType dtype, double from, double to, long n) {
        Objects.requireNonNull(dtype, "Tensor.linspace(): dtype");
        checkArgument(dtype.isFloat(), "Tensor.linspace(): dtype %s is not a float type; use F16, F32 or F64", dtype);
        long[] s = Shapes.checked("Tensor.linspace()", new long[] {n});
        Node lane = Tracer.lane((int) n);
        Node v;
        if (n <= 1) {
            v = Tracer.literal(DType.F64, from);
        } else {
            double step = (to - from) / (n - 1);
            // i * step + from, rounded twice as NumPy does (no fma), so the values match it exactly
            Node x = Tracer.binary(Op.ADD, Tracer.binary(Op.MUL, Tracer.cast(lane, DType.F64),
                    Tracer.literal(DType.F64, step)), Tracer.literal(DType.F64, from));
            Node last = Tracer.binary(Op.EQ, lane, Tracer.literal(DType.I32, n - 1));
            v = Tracer.select(last, Tracer.literal(DType.F64, to), x);
        }
        return TensorValue.make(s, dtype, Device.defaultDevice(), new Node[] {Tracer.cast(v, dtype)});
    }

    /**
     * The grid of all pairs: {@code [2, len(x) * len(y)]}, row 0 the x coordinate (varying
     * fastest), row 1 the y coordinate. Lazy inputs are re-indexed, not materialized.
     */
    static Tensor meshgrid(Tensor x, Tensor y) {
        TensorValue.checkOperands("meshgrid()", x, y);
        checkArgument(x.value.shape.length == 1 && y.value.shape.length == 1,
                "meshgrid(): x and y must be 1-D, got shapes %s and %s; flatten them with reshape(n)",
                Shapes.str(x.value.shape), Shapes.str(y.value.shape));
        DType t = Promotion.of("meshgrid()", x.dtype(), y.dtype());
        long nx = x.value.shape[0];
        long ny = y.value.shape[0];
        long n = Shapes.checked("meshgrid()", new long[] {nx * ny})[0];
        Node lane = Tracer.lane((int) n);
        Node xi = nx == 0 ? lane : Tracer.binary(Op.REM, lane, Tracer.literal(DType.I32, nx));
        Node yi = nx == 0 ? lane : Tracer.binary(Op.DIV, lane, Tracer.literal(DType.I32, nx));
        Node gx = Tracer.cast(Views.elementAt(x, xi), t);
        Node gy = Tracer.cast(Views.elementAt(y, yi), t);
        return TensorValue.make(new long[] {2, n}, t, x.device(), new Node[] {gx, gy});
    }

    /** Tensors of one shape stacked along a new axis 0. */
    static Tensor stack(Tensor... tensors) {
        checkArgument(tensors.length > 0, "stack(): needs at least one tensor");
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            Objects.requireNonNull(tensors[i], "stack(): tensor " + i);
            checkArgument(Arrays.equals(tensors[i].value.shape, tensors[0].value.shape),
                    "stack(): tensor %s has shape %s but tensor 0 has %s; stack needs equal shapes", i,
                    Shapes.str(tensors[i].value.shape), Shapes.str(tensors[0].value.shape));
        }
        for (int i = 0; i < tensors.length; i++) {
            long[] s = new long[tensors[i].value.shape.length + 1];
            s[0] = 1;
            System.arraycopy(tensors[i].value.shape, 0, s, 1, tensors[i].value.shape.length);
            expanded[i] = tensors[i].reshape(s);
        }
        return Tensor.concat(0, expanded); // public, so that autodiff records it
    }

    /**
     * A scalar whose value is passed to kernels at launch instead of being compiled in: use it
     * for values that change every step (learning rates, counters), so the same program with
     * another value compiles nothing new.
     */
    static Tensor opaque(DType dtype, double value) {
        Objects.requireNonNull(dtype, "Tensor.opaque(): dtype");
        long bits = ScalarOps.fromDouble(dtype, TensorValue.checkedScalar("Tensor.opaque()", dtype, value));
        return TensorValue.make(new long[0], dtype, Device.defaultDevice(),
                new Node[] {Tracer.param(new OpaqueScalar(dtype, bits))});
    }
}
