package dev.weft.optim;

import dev.weft.DType;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.io.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state as a safetensors file ({@link Safetensors}): per parameter key
 * {@code <key>.value} (the master), {@code <key>.<moment>} ({@code m}, {@code v}, {@code vmax})
 * and {@code <key>.t} (the step count, I64); with a {@link GradScaler}, {@code grad_scaler.scale}
 * and {@code grad_scaler.good_steps}. The metadata names the optimizer ({@code weft.optimizer}),
 * its learning rate and each key's registered dtype and own learning rate.
 */
final class OptimizerFiles {
    static final String KIND = "weft.optimizer";
    static final String RATE = "weft.learning_rate";
    static final String SCALE = "grad_scaler.scale";
    static final String GOOD_STEPS = "grad_scaler.good_steps";

    private OptimizerFiles() {}

    static void save(Optimizer opt, Path file, GradScaler scaler) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KIND, opt.kind());
        meta.put(RATE, Double.toString(opt.learningRate()));
        opt.slots().forEach((key, s) -> {
            tensors.put(key + ".value", s.master().detach());
            s.moments.forEach((name, cell) -> tensors.put(key + "." + name, cell.get()));
            tensors.put(key + ".t", Tensor.of(new double[] {Double.longBitsToDouble(s.steps)}).bitcast(DType.I64).reshape());
            meta.put(key + ".dtype", s.registered.name());
            if (s.learningRate != null) {
                meta.put(key + ".learning_rate", Double.toString(s.learningRate));
            }
        });
        if (scaler != null) {
            tensors.put(SCALE, scaler.scaleTensor());
            tensors.put(GOOD_STEPS, scaler.goodStepsTensor());
        }
        Safetensors.write(file, tensors, meta);
    }

    /** Reads and checks everything first; changes the optimizer (and scaler) only if all of it fits. */
    static void load(Optimizer opt, Path file, GradScaler scaler) {
        Safetensors.Contents c = Safetensors.read(file);
        String where = opt.kind() + ".loadInto(): " + file.toAbsolutePath();
        Map<String, String> meta = c.metadata();
        String kind = meta.get(KIND);
        if (!opt.kind().equals(kind)) {
            throw new IllegalArgumentException(where + (kind == null ? " holds no optimizer state (no " + KIND
                    + " in its metadata)" : " holds " + kind + " state; load it into a " + kind));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        Map<String, Slot> slots = new LinkedHashMap<>();
        for (String name : c.tensors().keySet()) {
            if (name.endsWith(".value")) {
                String key = name.substring(0, name.length() - ".value".length());
                slots.put(key, slot(opt, key, tensors, meta, where));
            }
        }
        double[] scalerState = scaler == null ? null : scalerState(tensors, where);
        if (!tensors.isEmpty()) {
            throw new IllegalArgumentException(where + " holds tensors that are not " + opt.kind() + " state: "
                    + tensors.keySet());
        }
        List<String> missing = new ArrayList<>(opt.keySet());
        missing.removeAll(slots.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(where + " has no state for " + missing + "; remove those keys first, "
                    + "or load into a fresh optimizer");
        }
        double rate = number(meta, RATE, where);
        opt.restore(slots, rate);
        if (scaler != null) {
            scaler.restore(scalerState[0], (long) scalerState[1]);
        }
    }

    private static Slot slot(Optimizer opt, String key, Map<String, Tensor> tensors, Map<String, String> meta,
                             String where) {
        Tensor value = tensors.remove(key + ".value");
        if (!value.dtype().isFloat() || value.dtype() == DType.F16 || value.numel() == 0) {
            throw new IllegalArgumentException(where + ": \"" + key + ".value\" is " + value.dtype() + " "
                    + Arrays.toString(value.shape()) + "; a master is a non-empty F32 or F64 tensor");
        }
        opt.checkRegistrable("loadInto()", key, value);
        String registered = meta.getOrDefault(key + ".dtype", value.dtype().name());
        DType dtype;
        try {
            dtype = DType.valueOf(registered);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the metadata gives \"" + key + "\" the dtype " + registered);
        }
        Slot s = new Slot(value.requiresGrad(true), dtype);
        for (String name : opt.momentNames()) {
            Tensor m = tensors.remove(key + "." + name);
            if (m == null) {
                m = Optimizer.zeros(value.dtype(), value.shape());
            } else if (m.dtype() != value.dtype() || !Arrays.equals(m.shape(), value.shape())) {
                throw new IllegalArgumentException(where + ": \"" + key + "." + name + "\" is " + m.dtype() + " "
                        + Arrays.toString(m.shape()) + ", unlike its value (" + value.dtype() + " "
                        + Arrays.toString(value.shape()) + ")");
            }
            s.moments.put(name, new Parameter(m));
        }
        Tensor t = tensors.remove(key + ".t");
        if (t == null || t.dtype() != DType.I64 || t.numel() != 1) {
            throw new IllegalArgumentException(where + ": \"" + key + ".t\", the step count, is missing or not one I64");
        }
        s.steps = Double.doubleToRawLongBits(t.bitcast(DType.F64).toDoubleArray()[0]);
        if (meta.containsKey(key + ".learning_rate")) {
            s.learningRate = number(meta, key + ".learning_rate", where);
        }
        return s;
    }

    private static double[] scalerState(Map<String, Tensor> tensors, String where) {
        Tensor scale = tensors.remove(SCALE);
        Tensor good = tensors.remove(GOOD_STEPS);
        if (scale == null || good == null || scale.numel() != 1 || good.numel() != 1) {
            throw new IllegalArgumentException(where + " holds no GradScaler state (" + SCALE + ", " + GOOD_STEPS
                    + "); save it with save(path, scaler)");
        }
        double s = scale.item();
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(where + ": the GradScaler scale is " + s);
        }
        return new double[] {s, good.item()};
    }

    private static double number(Map<String, String> meta, String key, String where) {
        String v = meta.get(key);
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NullPointerException | NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + ": the metadata's " + key + " is " + v + ", not a learning rate");
    }
}
