package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Effect;
import dev.weft.schedule.Scheduler;
import dev.weft.trace.Node;
import dev.weft.trace.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Tensor} fronts: its shape, dtype and device, and how its elements are known now,
 * as traced IR nodes or, once evaluated, as its own buffer; with its lifetime in a
 * {@link Weft#scope()} (the scope that owns it, pins by {@link Parameter}s and gradients, and
 * whether it was freed).
 *
 * <p>The nodes are one per component (each over the lanes of the last axis, or size 1), or one
 * flat node over every element (DESIGN.md "Tensors, lanes and components"), or, in vector form,
 * one vector node of length C for a {@code [C, W]} value (the tensor behind a {@link CoopVec}:
 * one node per operation whatever C; a node of length 1 stands for every component).
 * {@link #nodes()} always gives the first two forms (a vector's components are {@code EXTRACT}s
 * of it), so only the operations that know vectors keep the vector form. Evaluating records the
 * stores that fill a fresh buffer and switches the nodes to loads of it, so later operations read
 * memory instead of recomputing.
 *
 * <p>Each tensor has its own value (an {@link #alias()} copies it), so freeing or evaluating one
 * tensor never changes another. The package's operations read and build values through here;
 * the autodiff vertex stays on the tensor, which is the identity a gradient belongs to.
 */
final class TensorValue {
    final long[] shape;
    final DType dtype;
    final Device device;
    /**
     * One node per component (each of size lanes() or 1), or one flat node over numel() (or 1);
     * in vector form, the one vector node.
     */
    private Node[] nodes;
    /** Whether {@link #nodes} is the one vector node of a {@code [C, W]} value (C >= 2). */
    private boolean vectorForm;
    /** The components of a vector-form value, once asked for. */
    private Node[] extracted;
    /** This tensor's own contiguous copy, once evaluated. */
    private Buffer backing;
    /** The scope that frees this value when it closes (null outside every scope). */
    private TensorScope scope;
    private int pins;
    private boolean freed;
    private boolean scheduled;

    TensorValue(long[] shape, DType dtype, Device device, Node[] nodes) {
        this.shape = shape;
        this.dtype = dtype;
        this.device = device;
        this.nodes = nodes;
        this.scope = TensorScope.current();
    }

    /** A new tensor of this device from nodes (the package's constructor of results). */
    static Tensor make(long[] shape, DType dtype, Device device, Node[] nodes) {
        return new Tensor(new TensorValue(shape, dtype, device, nodes));
    }

    /**
     * A {@code [C, W]} tensor in vector form: {@code vector} has length C, or 1 for a value that
     * is the same in every component (a tensor of one component is in component form).
     */
    static Tensor makeVector(long[] shape, DType dtype, Device device, Node vector) {
        if (shape[0] == 1) {
            return make(shape, dtype, device, new Node[] {Tracer.extract(vector, 0)});
        }
        TensorValue v = new TensorValue(shape, dtype, device, new Node[] {vector});
        v.vectorForm = true;
        return new Tensor(v);
    }

    /** {@code t} in vector form (the same tensor if it is one already). */
    static Tensor vectorOf(Tensor t) {
        TensorValue v = t.value;
        if (v.vectorForm || v.shape[0] == 1) {
            return t;
        }
        return makeVector(v.shape, v.dtype, v.device, v.vector());
    }

    /** {@code t} in component (or flat) form (the same tensor if it is not in vector form). */
    static Tensor componentsOf(Tensor t) {
        return t.value.vectorForm ? make(t.value.shape, t.value.dtype, t.value.device, t.value.nodes()) : t;
    }

    /** A tensor whose elements are {@code buffer[0..numel)}, read lazily through loads. */
    static Tensor fromBuffer(Buffer buffer, long[] shape, Device device) {
        TensorValue v = new TensorValue(shape, buffer.dtype(), device, loadNodes(buffer, shape));
        v.backing = buffer;
        return new Tensor(v);
    }

    /** Every element {@code value} in {@code shape}, on {@code device} (a literal; nothing is stored). */
    static Tensor fullOn(Device device, DType dtype, double value, long[] shape) {
        Node v = Tracer.literal(dtype, value);
        int count = Shapes.isFlat(shape) ? 1 : (int) Shapes.components(shape);
        Node[] ns = new Node[count];
        Arrays.fill(ns, v);
        return make(shape, dtype, device, ns);
    }

    /** A second value with these nodes or this buffer, owned by the current scope. */
    TensorValue alias() {
        TensorValue v = new TensorValue(shape, dtype, device, nodes);
        v.backing = backing;
        v.vectorForm = vectorForm;
        v.extracted = extracted;
        return v;
    }

    // ================================================================ reading

    /** One node per component, or one flat node (a vector-form value gives its components). */
    Node[] nodes() {
        if (!vectorForm) {
            return nodes;
        }
        if (Shapes.isFlat(shape)) {
            recordStoresOnce(); // a flat element's component depends on the lane: read it back from memory
            return nodes;
        }
        if (extracted == null) {
            Node v = nodes[0];
            Node[] out = new Node[(int) shape[0]];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.length() == 1 ? v : Tracer.extract(v, i);
            }
            extracted = out;
        }
        return extracted;
    }

    boolean isVectorForm() {
        return vectorForm;
    }

    /**
     * The vector of a {@code [C, W]} value: its node in vector form, else the {@code PACK} of its
     * components (of length 1 when they are one node).
     */
    Node vector() {
        if (vectorForm) {
            return nodes[0];
        }
        if (Shapes.isFlat(shape)) {
            Node[] parts = new Node[(int) shape[0]];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = Views.get(new Tensor(alias()), i).value.nodes()[0];
            }
            return Tracer.pack(parts);
        }
        return Tracer.pack(nodes);
    }

    Buffer backing() {
        return backing;
    }

    long numel() {
        return Shapes.numel(shape);
    }

    boolean isFlatForm() {
        return Shapes.isFlat(shape);
    }

    TensorScope scope() {
        return scope;
    }

    /** Canonical bits of every element, row-major (see {@link ScalarOps}); evaluates first. */
    long[] readBits(String op) {
        checkUsable(op);
        recordStoresOnce();
        return HostTransfer.read(device, backing, dtype, (int) numel());
    }

    /** The elements in row-major order converted to float (evaluates first). */
    float[] readFloats(String op) {
        long[] bits = readBits(op);
        float[] out = new float[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ScalarOps.toDouble(dtype, bits[i]);
        }
        return out;
    }

    /** The elements in row-major order converted to double (evaluates first). */
    double[] readDoubles(String op) {
        long[] bits = readBits(op);
        double[] out = new double[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ScalarOps.toDouble(dtype, bits[i]);
        }
        return out;
    }

    /** The elements converted as {@code to(I32)} converts them (evaluates first). */
    int[] readInts(String op) {
        long[] bits = readBits(op);
        int[] out = new int[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) ScalarOps.cast(dtype, DType.I32, bits[i]);
        }
        return out;
    }

    /** The single element of a one-element value, as a double (evaluates first). */
    double readItem(String op) {
        checkUsable(op);
        checkArgument(numel() == 1, "%s: the tensor has shape %s (%s elements); item() reads exactly one; "
                + "select one with get(i) or reduce with sum()", op, Shapes.str(shape), numel());
        return readDoubles(op)[0];
    }

    /** Evaluates several tensors together: one kernel per domain size for all of them. */
    static void evalAll(List<Tensor> tensors) {
        Buffer[] buffers = new Buffer[tensors.size()];
        for (int i = 0; i < buffers.length; i++) {
            TensorValue v = tensors.get(i).value;
            v.recordStoresOnce();
            buffers[i] = v.backing;
        }
        Scheduler.evaluate(buffers); // with their writers on other threads, if any
    }

    /** A copy of this value's elements on another device (evaluates first). */
    Tensor copyTo(Device target) {
        recordStoresOnce();
        Buffer copy = HostTransfer.copy(device, backing, target, newBuffer(target, dtype, numel()));
        return fromBuffer(copy, shape, target);
    }

    // ================================================================ storing

    /** Records the stores of this value into a buffer of its own, unless done already. */
    void recordStoresOnce() {
        if (backing == null && !scheduled) {
            scheduled = true;
            recordStores();
        }
    }

    /** Allocates this value's buffer and records the stores that fill it; switches to reading it. */
    private void recordStores() {
        long n = numel();
        Buffer buf = allocate(device, dtype, n, scope);
        if (n > 0) {
            if (Shapes.isFlat(shape) && !vectorForm) {
                store(buf, nodes[0], 0, (int) n);
            } else {
                int lanes = (int) Shapes.lanes(shape);
                Node v = vectorForm ? nodes[0] : null;
                int count = vectorForm ? (int) shape[0] : nodes.length;
                for (int c = 0; c < count; c++) {
                    Node component = v == null ? nodes[c] : v.length() == 1 ? v : Tracer.extract(v, c);
                    store(buf, component, (long) c * lanes, lanes);
                }
            }
        }
        backing = buf;
        nodes = loadNodes(buf, shape);
        vectorForm = false;
        extracted = null;
    }

    private static Node[] loadNodes(Buffer buffer, long[] shape) {
        if (Shapes.isFlat(shape)) {
            return new Node[] {Tracer.load(buffer, Tracer.lane((int) Shapes.numel(shape)))};
        }
        int c = (int) Shapes.components(shape);
        int n = (int) Shapes.lanes(shape);
        Node lane = Tracer.lane(n);
        Node[] out = new Node[c];
        for (int i = 0; i < c; i++) {
            out[i] = Tracer.load(buffer, i == 0 ? lane : Tracer.binary(Op.ADD, lane, offset((long) i * n)));
        }
        return out;
    }

    /**
     * An element offset or bound, passed at launch so that kernels do not depend on sizes (equal
     * values are one parameter: {@link dev.weft.spi.Kernel}'s "Parameters and identity").
     */
    static Node offset(long value) {
        return Tracer.launchValue(DType.I32, value);
    }

    /** Records the store of {@code value} (over {@code lanes} lanes) to {@code buf[offset + lane]}. */
    static void store(Buffer buf, Node value, long offset, int lanes) {
        Node lane = Tracer.lane(lanes);
        storeAt(buf, value, offset == 0 ? lane : Tracer.binary(Op.ADD, lane, offset(offset)), lanes);
    }

    /** Records the store of {@code value} (over {@code lanes} lanes) to {@code buf[index]}. */
    static void storeAt(Buffer buf, Node value, Node index, int lanes) {
        Node scatter = Tracer.scatter(Op.SCATTER, buf, index, value, Tracer.literal(DType.BOOL, 1),
                offset(buf.length()), lanes);
        Scheduler.record(new Effect.Scatter(scatter));
    }

    /** A buffer of {@code n} elements on {@code device}, owned by the current scope. */
    static Buffer newBuffer(Device device, DType dtype, long n) {
        return allocate(device, dtype, n, TensorScope.current());
    }

    private static Buffer allocate(Device device, DType dtype, long n, TensorScope owner) {
        device.checkOpen("allocate");
        Buffer b = device.allocator().allocate(dtype, n, owner == null ? null : owner.frame());
        if (owner != null) {
            owner.frame().track(b);
        }
        return b;
    }

    // ================================================================ scalars

    /** A Java scalar as a literal of this value's dtype (DESIGN.md: a Java scalar takes the tensor's dtype). */
    Tensor scalarLike(String op, double v) {
        checkUsable(op);
        DType t = dtype == DType.BOOL ? DType.I32 : dtype;
        Tensor s = Creation.broadcastNode(Tracer.literal(t, checkedScalar(op, t, v)), new long[0], t);
        return s.device() == device ? s : make(s.value.shape, t, device, s.value.nodes);
    }

    static double checkedScalar(String op, DType dtype, double v) {
        if (!dtype.isFloat() && dtype != DType.BOOL) {
            checkArgument(v == Math.rint(v) && !Double.isInfinite(v), "%s: the scalar %s is not an integer, but the "
                    + "tensor is %s; convert the tensor with to(DType.F32) first", op, v, dtype);
        }
        return v;
    }

    // ================================================================ checks

    /** Throws if this value was freed by its scope or its device was closed. */
    void checkUsable(String op) {
        if (freed) {
            throw new IllegalStateException(op + ": the tensor (" + dtype + " " + Shapes.str(shape) + ") was freed when "
                    + "its Weft.scope() closed; keep it with scope.keep(t), hold it in a Parameter, or create it "
                    + "outside the scope");
        }
        device.checkOpen(op);
    }

    /**
     * Checks the operands of {@code op}: none null, none freed or on a closed device, all on the
     * device of the first.
     */
    static void checkOperands(String op, Tensor... operands) {
        for (int i = 0; i < operands.length; i++) {
            Objects.requireNonNull(operands[i], op + ": operand " + i + " is null");
            operands[i].value.checkUsable(op);
            checkSameDevice(op, operands[0], operands[i]);
        }
    }

    static void checkSameDevice(String op, Tensor a, Tensor b) {
        if (a.value.device != b.value.device) {
            throw new IllegalArgumentException(op + ": operands live on devices " + a.value.device + " and "
                    + b.value.device + "; move one with to(Device)");
        }
    }

    // ================================================================ lifetime

    void pin() {
        pins++;
    }

    void unpin() {
        pins--;
    }

    boolean isPinned() {
        return pins > 0;
    }

    boolean isFreed() {
        return freed;
    }

    void markFreed() {
        freed = true;
        nodes = null;
        extracted = null;
        backing = null;
    }

    /** Hands this value to another scope (a survivor moving to the enclosing one). */
    void setScope(TensorScope owner) {
        scope = owner;
    }

    /** Buffers this value's nodes read. */
    Set<Buffer> buffersReferenced() {
        Set<Buffer> out = new LinkedHashSet<>();
        List<Node> stack = new ArrayList<>(Arrays.asList(nodes));
        Set<Node> seen = new HashSet<>();
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (!seen.add(n)) {
                continue;
            }
            if (n.ref() instanceof Buffer b) {
                out.add(b);
            }
            for (int i = 0; i < n.arity(); i++) {
                stack.add(n.arg(i));
            }
        }
        return out;
    }
}
