package dev.weft.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import dev.weft.Parameter;
import dev.weft.Parameterized;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A gradient-based optimizer that owns the parameters it optimizes (reference-semantics.md §5):
 * {@link #put} stores a detached copy (an F16 value is promoted to an F32 master), {@link #get}
 * gives the gradient-tracking value back in the registered dtype, {@link #step()} reads the
 * gradients that {@code backward()} accumulated into the masters and replaces masters and moments.
 *
 * {@snippet :
 * Adam opt = new Adam(1e-3);
 * opt.update(net);                 // pull every parameter in, once
 * for (int i = 0; i < steps; i++) {
 *     net.update(opt);             // push the values (cast back to F16) into the network
 *     loss(net).backward();
 *     opt.step();
 * }
 * }
 *
 * <p>Kernels: every per-step host number (learning rate, bias correction) enters the update as
 * an opaque scalar ({@code Tensor.opaque}), so after the first step nothing compiles again; the
 * update of a parameter is one lazy expression, scheduled but not evaluated by {@code step()}, so
 * it runs together with whatever is evaluated next, typically the cast of the next {@link #get}.
 *
 * <p>Masters and moments live in {@code Parameter} cells: a step inside {@code Weft.scope()}
 * keeps them. Without a {@link GradScaler}, non-finite gradients propagate into the parameters,
 * as in the reference. A step without gradients steps with zero gradients.
 *
 * <p>Errors: bad input is an {@link IllegalArgumentException} naming the call, the value and the
 * fix, and leaves the optimizer as it was; a step builds every parameter's update before it
 * commits any.
 */
public abstract class Optimizer implements Parameterized {
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<String, Tensor> view = new ParametersView(this);
    private double learningRate;
    private boolean maskUpdates;
    private double clipGradNorm;

    Optimizer(double learningRate) {
        this.learningRate = checkedRate(kind() + "()", learningRate);
    }

    // ================================================================ parameters

    /**
     * Registers every parameter of {@code source} that this optimizer takes ({@link Muon} only
     * 2-D ones), as {@link #put} does. Call it once; afterwards push values the other way
     * ({@code layer.update(optimizer)}) at the start of every step.
     *
     * @throws IllegalArgumentException if a value cannot be registered (nothing is registered then)
     */
    public void update(Parameterized source) {
        Objects.requireNonNull(source, "Optimizer.update(): source");
        Map<String, Tensor> taken = new LinkedHashMap<>();
        source.parameters().forEach((k, v) -> {
            if (accepts(v)) {
                taken.put(k, v);
            }
        });
        Map<String, Slot> prepared = new LinkedHashMap<>();
        taken.forEach((k, v) -> prepared.put(k, prepare("update()", k, v)));
        prepared.forEach(this::install);
    }

    /**
     * Registers {@code value} under {@code key}, or replaces the value of a known key. The
     * optimizer keeps a detached copy (F16 becomes an F32 master) with gradients on. Replacing a
     * value of the same shape keeps the key's moments and learning rate; another shape resets them.
     *
     * @throws IllegalArgumentException for a non-float or empty value (or, for {@link Muon}, one
     *     that is not 2-D)
     */
    public void put(String key, Tensor value) {
        install(key, prepare("put()", key, value));
    }

    /**
     * The value of {@code key} in the dtype it was registered with, tracking gradients: what a
     * forward pass should use, so that {@code backward()} reaches the optimizer's master.
     *
     * @throws IllegalArgumentException if there is no such key
     */
    public Tensor get(String key) {
        Slot s = slot("get()", key);
        Tensor v = s.master();
        return v.dtype() == s.registered ? v : v.to(s.registered);
    }

    /** Whether {@code key} is registered. */
    public boolean contains(String key) {
        return slots.containsKey(key);
    }

    /** The registered keys, in registration order (a read-only view). */
    public Set<String> keySet() {
        return Collections.unmodifiableSet(slots.keySet());
    }

    /** The number of registered parameters. */
    public int size() {
        return slots.size();
    }

    /** Forgets {@code key} and its state. @throws IllegalArgumentException if there is no such key */
    public void remove(String key) {
        slot("remove()", key);
        slots.remove(key);
    }

    /**
     * A live view: {@code get(k)} is {@link #get}, {@code put(k, v)} replaces a registered value
     * of the same shape (keeping its state); keys are never added or removed through it.
     */
    @Override
    public Map<String, Tensor> parameters() {
        return view;
    }

    // ================================================================ configuration

    /** The learning rate of parameters without one of their own. */
    public double learningRate() {
        return learningRate;
    }

    /** The learning rate {@code key} steps with: its own if set, else the optimizer's. */
    public double learningRate(String key) {
        Slot s = slot("learningRate()", key);
        return s.learningRate != null ? s.learningRate : learningRate;
    }

    /** Sets the learning rate of parameters without one of their own (a new value compiles nothing). */
    public void setLearningRate(double rate) {
        learningRate = checkedRate("setLearningRate()", rate);
    }

    /** Gives {@code key} a learning rate of its own, which wins over the optimizer's. */
    public void setLearningRate(String key, double rate) {
        double r = checkedRate("setLearningRate()", rate);
        slot("setLearningRate()", key).learningRate = r;
    }

    /** Returns {@code key} to the optimizer's learning rate. */
    public void clearLearningRate(String key) {
        slot("clearLearningRate()", key).learningRate = null;
    }

    /**
     * With {@code true}, elements whose gradient is exactly zero keep their value and moments in
     * a step (for sparse gradients, as PyTorch's SparseAdam); Adam's step count still advances.
     */
    public Optimizer maskUpdates(boolean on) {
        maskUpdates = on;
        return this;
    }

    public boolean isMaskingUpdates() {
        return maskUpdates;
    }

    /**
     * Scales all gradients together by {@code min(1, max / (norm + 1e-6))}, where {@code norm} is
     * the 2-norm of every gradient of the optimizer taken as one vector (PyTorch's
     * {@code clip_grad_norm_}); computed on the device (a reduction: one kernel more per step).
     * {@code 0} turns clipping off.
     */
    public Optimizer clipGradNorm(double max) {
        checkArgument(max >= 0 && Double.isFinite(max), "%s.clipGradNorm(): the maximum norm is %s; it must be a "
                + "finite number > 0 (or 0 to turn clipping off)", kind(), max);
        clipGradNorm = max;
        return this;
    }

    /** The maximum gradient norm, or 0 when clipping is off. */
    public double gradNormLimit() {
        return clipGradNorm;
    }

    /** Resets every parameter's moments and step count to zero and drops their own learning rates. */
    public void reset() {
        slots.values().forEach(this::resetState);
    }

    /** {@link #reset()} for one key. */
    public void reset(String key) {
        resetState(slot("reset()", key));
    }

    // ================================================================ files

    /**
     * Writes the optimizer's state to {@code file} (safetensors, replaced atomically):
     * {@code <key>.value}, the moments ({@code <key>.m}, {@code <key>.v}, ...) and {@code <key>.t}
     * per parameter, the learning rates and registered dtypes in the metadata.
     */
    public void save(Path file) {
        OptimizerFiles.save(this, file, null);
    }

    /** {@link #save(Path)} with the scaler's state ({@code grad_scaler.scale}, {@code grad_scaler.good_steps}). */
    public void save(Path file, GradScaler scaler) {
        OptimizerFiles.save(this, file, Objects.requireNonNull(scaler, "save(): scaler"));
    }

    /**
     * Replaces the optimizer's parameters, moments, step counts and learning rates with those of
     * {@code file}, written by {@link #save} of an optimizer of the same class. The file must hold
     * every key this optimizer has (it may hold more: they are registered).
     *
     * @throws IllegalArgumentException for a truncated, corrupted or foreign file, or one that
     *     does not fit (the optimizer is left as it was)
     */
    public void loadInto(Path file) {
        OptimizerFiles.load(this, file, null);
    }

    /** {@link #loadInto(Path)} and the scaler's state; neither changes unless both fit. */
    public void loadInto(Path file, GradScaler scaler) {
        OptimizerFiles.load(this, file, Objects.requireNonNull(scaler, "loadInto(): scaler"));
    }

    /** Replaces every slot and the learning rate at once (a loaded file). */
    final void restore(Map<String, Slot> loaded, double rate) {
        slots.clear();
        slots.putAll(loaded);
        learningRate = rate;
    }

    // ================================================================ stepping

    /**
     * Takes a step with the gradients accumulated since the last one, then clears them. The new
     * values are scheduled, not evaluated: they run with the next evaluation.
     */
    public void step() {
        step(null, null);
    }

    /**
     * The step: gradients times {@code gradScale} (if given), clipped, the rule of each
     * parameter, masked where {@code active} (a BOOL scalar, if given) is false or a masked
     * gradient is zero; built for every parameter before anything is committed.
     */
    @SuppressWarnings("try") // scopes held for their effect
    final void step(Tensor gradScale, Tensor active) {
        if (slots.isEmpty()) {
            return;
        }
        List<Slot> list = new ArrayList<>(slots.values());
        List<Update> updates = new ArrayList<>();
        try (var noGrad = Weft.noGrad(); var device = Weft.device(list.getFirst().master().device())) {
            List<Tensor> values = new ArrayList<>();
            List<Tensor> grads = gradients(list, gradScale);
            for (Slot s : list) {
                values.add(s.master().detach());
            }
            List<Update> raw = rules(list, values, grads);
            for (int i = 0; i < list.size(); i++) {
                updates.add(masked(list.get(i), values.get(i), grads.get(i), raw.get(i), active));
            }
            for (Update u : updates) {
                u.value().schedule();
                u.moments().values().forEach(Tensor::schedule);
            }
        }
        for (int i = 0; i < list.size(); i++) {
            commit(list.get(i), updates.get(i));
        }
    }

    /** The gradient of each slot (zeros where none arrived), scaled and clipped. */
    private List<Tensor> gradients(List<Slot> list, Tensor gradScale) {
        List<Tensor> out = new ArrayList<>();
        for (Slot s : list) {
            Tensor v = s.master();
            Tensor g = v.grad();
            g = g == null ? Tensor.zeros(v.dtype(), v.shape()) : g.detach();
            out.add(gradScale == null ? g : g.mul(gradScale.to(v.dtype())));
        }
        if (clipGradNorm > 0) {
            Tensor squares = null;
            for (Tensor g : out) {
                Tensor s = g.mul(g).sum().to(DType.F64);
                squares = squares == null ? s : squares.add(s);
            }
            Tensor factor = Tensor.full(DType.F64, clipGradNorm).div(squares.sqrt().add(1e-6)).min(1.0);
            out.replaceAll(g -> g.mul(factor.to(g.dtype())));
        }
        return out;
    }

    /** The update with masked elements (zero gradients, an inactive step) kept as they were. */
    private Update masked(Slot s, Tensor value, Tensor grad, Update u, Tensor active) {
        Tensor mask = maskUpdates ? grad.eq(0) : null;
        if (active != null) {
            Tensor inactive = active.not();
            mask = mask == null ? inactive : mask.or(inactive);
        }
        if (mask == null) {
            return u;
        }
        Map<String, Tensor> moments = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : u.moments().entrySet()) {
            Tensor old = s.moment(e.getKey());
            moments.put(e.getKey(), old == null ? e.getValue() : Tensor.where(mask, old, e.getValue()));
        }
        return new Update(Tensor.where(mask, value, u.value()), moments, u.steps());
    }

    private void commit(Slot s, Update u) {
        Tensor old = s.master();
        if (old.grad() != null) {
            old.setGrad(null);
        }
        s.value.set(u.value().detach().requiresGrad(true));
        u.moments().forEach((name, m) -> {
            var cell = s.moments.get(name);
            if (cell == null) {
                s.moments.put(name, new Parameter(m));
            } else {
                cell.set(m);
            }
        });
        s.steps = u.steps();
    }

    // ================================================================ what subclasses define

    /** The moments a parameter has with the current settings, by name ({@code m}, {@code v}, ...). */
    abstract List<String> momentNames();

    /** One parameter's update from its (detached) value and gradient at learning rate {@code lr}. */
    abstract Update rule(Slot slot, Tensor value, Tensor grad, double lr);

    /** Every parameter's update; one {@link #rule} each unless an optimizer works across parameters. */
    @SuppressWarnings("try") // scopes held for their effect
    List<Update> rules(List<Slot> list, List<Tensor> values, List<Tensor> grads) {
        List<Update> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Slot s = list.get(i);
            try (var device = Weft.device(values.get(i).device())) {
                out.add(rule(s, values.get(i), grads.get(i), rateOf(s)));
            }
        }
        return out;
    }

    /** Whether {@link #update} takes {@code value} (all by default; {@link Muon}: 2-D ones). */
    boolean accepts(Tensor value) {
        return true;
    }

    /** Throws if {@code value} cannot be registered under {@code key} beyond the common checks. */
    void checkRegistrable(String op, String key, Tensor value) {
    }

    /** The hyperparameter lines of {@link #toString()} (after the learning rates). */
    abstract String describe();

    // ================================================================ helpers for the rules

    /** The learning rate {@code s} steps with. */
    final double rateOf(Slot s) {
        return s.learningRate != null ? s.learningRate : learningRate;
    }

    /** The moment {@code name} of {@code s}, or zeros like {@code value} if it has none yet. */
    static Tensor momentOrZeros(Slot s, String name, Tensor value) {
        Tensor m = s.moment(name);
        return m != null ? m : zeros(value.dtype(), value.shape());
    }

    /** A constant of the update's dtype (rounded to it once, as the reference rounds its Python floats). */
    static Tensor constant(Tensor like, double value) {
        return Tensor.full(like.dtype(), value);
    }

    /**
     * A per-step number passed to the kernel at launch: {@code value} rounded once to the
     * update's dtype, so a new value compiles nothing new.
     */
    static Tensor perStep(Tensor like, double value) {
        return Tensor.opaque(like.dtype(), value);
    }

    /**
     * {@code lerp(a, b, t) = fma(b, t, fma(-a, t, a))}, the reference's blend of {@code a} (at
     * t = 0) and {@code b} (at t = 1) with two roundings.
     */
    static Tensor lerp(Tensor a, Tensor b, Tensor t) {
        return b.fma(t, a.neg().fma(t, a));
    }

    /** Zeros in a buffer of their own (uploaded, not a literal, so that kernels keep their form). */
    static Tensor zeros(DType dtype, long[] shape) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        Tensor flat = switch (dtype) {
            case F64 -> Tensor.of(new double[n]);
            case F32 -> Tensor.of(new float[n]);
            default -> throw new AssertionError("optimizer state of " + dtype);
        };
        return shape.length == 1 ? flat : flat.reshape(shape);
    }

    // ================================================================ internals

    final String kind() {
        return getClass().getSimpleName();
    }

    final Map<String, Slot> slots() {
        return slots;
    }

    final Slot slot(String op, String key) {
        Objects.requireNonNull(key, kind() + "." + op + ": key");
        Slot s = slots.get(key);
        if (s == null) {
            throw new IllegalArgumentException(kind() + "." + op + ": no parameter \"" + key + "\"; the registered keys "
                    + "are " + slots.keySet() + " (register one with put(key, value) or update(layer))");
        }
        return s;
    }

    /** A new slot for {@code value} (validated, detached, F16 promoted), not yet installed. */
    private Slot prepare(String op, String key, Tensor value) {
        Objects.requireNonNull(key, kind() + "." + op + ": key");
        Objects.requireNonNull(value, kind() + "." + op + ": the value of \"" + key + "\"");
        checkArgument(value.dtype().isFloat(), "%s.%s: cannot register parameter \"%s\" of dtype %s; optimizers take "
                + "F16, F32 or F64 tensors (convert with to(DType.F32))", kind(), op, key, value.dtype());
        checkArgument(value.numel() > 0, "%s.%s: parameter \"%s\" is empty (shape %s)", kind(), op, key,
                Arrays.toString(value.shape()));
        checkRegistrable(op, key, value);
        Tensor master = value.detach();
        if (master.dtype() == DType.F16) {
            master = master.to(DType.F32);
        }
        master.schedule(); // a buffer of its own, so that the first step's kernel is the later steps' kernel
        return new Slot(master.requiresGrad(true), value.dtype());
    }

    /** Installs a prepared slot, keeping the old one's state if the master's shape and dtype match. */
    private void install(String key, Slot fresh) {
        Slot old = slots.get(key);
        boolean keep = old != null && Arrays.equals(old.master().shape(), fresh.master().shape())
                && old.master().dtype() == fresh.master().dtype();
        if (keep) {
            fresh.learningRate = old.learningRate;
            fresh.moments.putAll(old.moments);
            fresh.steps = old.steps;
        } else {
            resetMoments(fresh);
        }
        slots.put(key, fresh);
    }

    private void resetState(Slot s) {
        s.learningRate = null;
        s.steps = 0;
        resetMoments(s);
    }

    @SuppressWarnings("try") // scopes held for their effect
    private void resetMoments(Slot s) {
        s.moments.clear();
        Tensor v = s.master();
        try (var device = Weft.device(v.device())) {
            for (String name : momentNames()) {
                s.moments.put(name, new Parameter(zeros(v.dtype(), v.shape())));
            }
        }
    }

    private double checkedRate(String op, double rate) {
        checkArgument(rate > 0 && Double.isFinite(rate), "%s.%s: the learning rate is %s; it must be a finite number "
                + "> 0", kind(), op, rate);
        return rate;
    }

    /** The reference's layout: {@code Adam[\n  parameters = [...],\n  total_count = N,\n  lr = {...},\n ...]}. */
    @Override
    public String toString() {
        long total = 0;
        StringBuilder lr = new StringBuilder("{default: ").append(Numbers.g(learningRate));
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            total += e.getValue().master().numel();
            if (e.getValue().learningRate != null) {
                lr.append(", ").append(e.getKey()).append(": ").append(Numbers.g(e.getValue().learningRate));
            }
        }
        return kind() + "[\n  parameters = " + slots.keySet() + ",\n  total_count = " + total + ",\n  lr = " + lr
                + "},\n" + describe() + "\n]";
    }
}
