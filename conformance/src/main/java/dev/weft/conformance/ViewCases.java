package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Views and joins: {@code slice}, {@code get}, {@code reshape}, {@code transpose} (alone and
 * composed), {@code meshgrid}, {@code stack} and {@code concat}, on sources in component and flat
 * form, each both evaluated (read through loads) and lazy (re-indexed expressions). Sources hold
 * distinct values so every misplaced element shows; expected values from {@link HostShapes}.
 * All bit-exact.
 */
public final class ViewCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "views";

    private final List<ConformanceCase> out = new ArrayList<>();

    @Override
    public List<ConformanceCase> get() {
        out.clear();
        view("slice-axis0", new long[] {3, 7}, x -> x.slice(0, 1, 3), v -> HostShapes.slice(v, 0, 1, 3));
        view("slice-lane-axis", new long[] {3, 7}, x -> x.slice(1, 2, 6), v -> HostShapes.slice(v, 1, 2, 6));
        view("slice-flat-rows", new long[] {2000, 3}, x -> x.slice(0, 10, 1500), v -> HostShapes.slice(v, 0, 10, 1500));
        view("slice-flat-columns", new long[] {2000, 3}, x -> x.slice(1, 1, 3), v -> HostShapes.slice(v, 1, 1, 3));
        view("slice-middle-axis", new long[] {4, 3, 5}, x -> x.slice(1, 1, 2), v -> HostShapes.slice(v, 1, 1, 2));
        view("slice-empty", new long[] {3, 7}, x -> x.slice(1, 4, 4), v -> HostShapes.slice(v, 1, 4, 4));
        view("get-row", new long[] {3, 7}, x -> x.get(1), v -> HostShapes.reshape(HostShapes.slice(v, 0, 1, 2), 7));
        view("get-3d", new long[] {4, 5, 6}, x -> x.get(2), v -> HostShapes.reshape(HostShapes.slice(v, 0, 2, 3), 5, 6));
        view("get-flat-row", new long[] {2000, 3}, x -> x.get(1999),
                v -> HostShapes.reshape(HostShapes.slice(v, 0, 1999, 2000), 3));
        view("get-scalar", new long[] {5}, x -> x.get(4), v -> HostShapes.reshape(HostShapes.slice(v, 0, 4, 5)));
        view("reshape-mixes-lanes", new long[] {3, 8}, x -> x.reshape(8, 3), v -> HostShapes.reshape(v, 8, 3));
        view("reshape-to-3d", new long[] {24}, x -> x.reshape(2, 3, 4), v -> HostShapes.reshape(v, 2, 3, 4));
        view("reshape-flat-to-components", new long[] {2000, 3}, x -> x.reshape(3, 2000),
                v -> HostShapes.reshape(v, 3, 2000));
        view("reshape-inferred", new long[] {6, 4}, x -> x.reshape(-1, 2), v -> HostShapes.reshape(v, 12, 2));
        view("transpose-2d", new long[] {3, 5}, Tensor::transpose, HostShapes::transpose);
        view("transpose-flat", new long[] {2000, 3}, Tensor::transpose, HostShapes::transpose);
        view("transpose-3d", new long[] {2, 3, 4}, Tensor::transpose, HostShapes::transpose);
        view("transpose-1d", new long[] {7}, Tensor::transpose, HostShapes::transpose);
        view("transpose-then-slice", new long[] {3, 5}, x -> x.transpose().slice(0, 1, 4),
                v -> HostShapes.slice(HostShapes.transpose(v), 0, 1, 4));
        view("slice-then-transpose", new long[] {3, 7}, x -> x.slice(1, 2, 6).transpose(),
                v -> HostShapes.transpose(HostShapes.slice(v, 1, 2, 6)));
        view("reshape-then-transpose-then-add", new long[] {12}, x -> x.reshape(3, 4).transpose().add(x.reshape(4, 3)),
                v -> HostShapes.map(ElementOp.ADD, v.dtype(), HostShapes.transpose(HostShapes.reshape(v, 3, 4)),
                        HostShapes.reshape(v, 4, 3)));
        meshgrid("meshgrid-5x3", 5, 3);
        meshgrid("meshgrid-1x7", 1, 7);
        meshgrid("meshgrid-0x4", 0, 4);
        join("stack-three", x -> Tensor.stack(x.get(0), x.get(1), x.get(2)), new long[] {3, 7},
                v -> HostShapes.reshape(v, 3, 7));
        join("stack-2d", x -> Tensor.stack(x.slice(0, 0, 2), x.slice(0, 2, 4)), new long[] {4, 3},
                v -> HostShapes.reshape(v, 2, 2, 3));
        join("concat-axis0", x -> Tensor.concat(0, x.slice(0, 0, 2), x.slice(0, 2, 5)), new long[] {5, 5}, v -> v);
        join("concat-lane-axis", x -> Tensor.concat(1, x.slice(1, 4, 7), x.slice(1, 0, 4)), new long[] {2, 7},
                v -> HostShapes.concat(1, HostShapes.slice(v, 1, 4, 7), HostShapes.slice(v, 1, 0, 4)));
        join("concat-flat", x -> Tensor.concat(0, x.slice(0, 1000, 1500), x.slice(0, 0, 10)), new long[] {1500, 2},
                v -> HostShapes.concat(0, HostShapes.slice(v, 0, 1000, 1500), HostShapes.slice(v, 0, 0, 10)));
        join("concat-with-empty", x -> Tensor.concat(0, x.slice(0, 0, 0), x, x.slice(0, 3, 3)), new long[] {4},
                v -> v);
        out.add(Checks.program(GROUP + "/concat-promotes", GROUP, ResultClass.BIT_EXACT,
                "concat(0, I32 {1, -2}, F32 {0.5}): F32 {1, -2, 0.5}",
                () -> Tensor.concat(0, Tensor.of(new int[] {1, -2}), Tensor.of(new float[] {0.5f})),
                () -> new Expected.Exact(Values.ofFloats(new float[] {1, -2, 0.5f})), Tag.F32, Tag.I32));
        return List.copyOf(out);
    }

    /** Distinct, exactly representable values 0.25, 0.75, 1.25, ... (F32) or 0, 1, 2, ... (I32). */
    static Values distinct(DType t, long[] shape) {
        long[] b = new long[(int) HostShapes.numel(shape)];
        for (int i = 0; i < b.length; i++) {
            b[i] = t == DType.F32 ? Float.floatToRawIntBits(i * 0.5f + 0.25f) : i;
        }
        return new Values(t, shape, b);
    }

    /** A tensor holding {@code v}: evaluated (uploaded) or lazy (an expression of the uploaded one). */
    private static Tensor source(Values v, boolean lazy) {
        Tensor t = DeviceIo.upload(v);
        return lazy ? t.neg().neg() : t;
    }

    private void view(String name, long[] shape, UnaryOperator<Tensor> op, UnaryOperator<Values> host) {
        for (DType t : List.of(DType.F32, DType.I32)) {
            for (boolean lazy : new boolean[] {false, true}) {
                Values v = distinct(t, shape);
                String id = GROUP + "/" + name + "/" + t + (lazy ? "/lazy" : "/evaluated");
                out.add(Checks.program(id, GROUP, ResultClass.BIT_EXACT, name + " of " + t + Arrays.toString(shape)
                                + (lazy ? " (lazy source x.neg().neg())" : " (evaluated source)"),
                        () -> op.apply(source(v, lazy)), () -> new Expected.Exact(host.apply(v)), Tag.of(t)));
            }
        }
    }

    private void join(String name, Function<Tensor, Tensor> op, long[] shape, UnaryOperator<Values> host) {
        view(name, shape, op::apply, host);
    }

    private void meshgrid(String name, int nx, int ny) {
        for (boolean lazy : new boolean[] {false, true}) {
            Values x = distinct(DType.F32, new long[] {nx});
            Values y = distinct(DType.I32, new long[] {ny});
            out.add(Checks.program(GROUP + "/" + name + (lazy ? "/lazy" : "/evaluated"), GROUP, ResultClass.BIT_EXACT,
                    "meshgrid(x F32[" + nx + "], y I32[" + ny + "]): [2, nx*ny] F32, x fastest",
                    () -> Tensor.meshgrid(source(x, lazy), source(y, lazy)), () -> {
                        long[] b = new long[2 * nx * ny];
                        for (int j = 0; j < ny; j++) {
                            for (int i = 0; i < nx; i++) {
                                b[j * nx + i] = x.bits()[i];
                                b[nx * ny + j * nx + i] = Float.floatToRawIntBits((float) y.bits()[j]);
                            }
                        }
                        return new Expected.Exact(new Values(DType.F32, new long[] {2, (long) nx * ny}, b));
                    }, Tag.F32, Tag.I32));
        }
    }
}
