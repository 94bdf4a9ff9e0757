package dev.weft;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Records operations for reverse-mode differentiation and implements the gradient API of
 * {@link Tensor} ({@code requiresGrad}, {@code grad}, {@code setGrad}, {@code retainGrad},
 * {@code detach}, {@code backward}). The rules themselves are in {@link Derivatives}.
 *
 * <p>An operation is recorded when gradients are enabled on this thread ({@link Weft#noGrad()}
 * disables them) and one of its inputs requires gradients. Its primal value is computed with
 * recording suspended, so an operation built from other public operations is one vertex with
 * one rule.
 */
final class Autodiff {
    private Autodiff() {}

    /** A rule of a single-output operation: the output cotangent {@code g} and value {@code y}. */
    interface SimpleRule {
        void backward(Tensor g, Tensor y, Backprop.Sink out);
    }

    static boolean tracks(Tensor... inputs) {
        if (!GradMode.enabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.ad() != null) {
                return true;
            }
        }
        return false;
    }

    /** The result of {@code primal}, recorded with {@code rule} if any input requires gradients. */
    static Tensor op(String name, Supplier<Tensor> primal, SimpleRule rule, Tensor... inputs) {
        if (!tracks(inputs)) {
            return primal.get();
        }
        Tensor y;
        try (var noGrad = GradMode.disable()) {
            y = primal.get();
        }
        if (!y.dtype().isFloat()) {
            return y; // integer and BOOL results carry no gradient
        }
        Tensor result = fresh(y, inputs);
        AdNode[] in = vertices(inputs);
        result.setAd(AdNode.of(name, result, in, (g, out) -> rule.backward(g, result.detachedValue(), out)));
        return result;
    }

    /** {@code y}, or an alias of it when the primal returned one of the inputs unchanged. */
    static Tensor fresh(Tensor y, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t == y) {
                return y.alias();
            }
        }
        return y;
    }

    static AdNode[] vertices(Tensor... inputs) {
        AdNode[] in = new AdNode[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            in[i] = inputs[i] == null ? null : inputs[i].ad();
        }
        return in;
    }

    // ---- the gradient API of Tensor --------------------------------------------------------

    static Tensor requiresGrad(Tensor t, boolean on) {
        t.value.checkUsable("requiresGrad()");
        if (on) {
            if (t.ad() == null) {
                if (!t.dtype().isFloat()) {
                    throw new IllegalArgumentException("requiresGrad(): a " + t.dtype() + " tensor cannot carry "
                            + "gradients; convert it with to(DType.F32) first");
                }
                t.setAd(AdNode.leaf(t));
            }
            return t;
        }
        if (t.ad() != null && !t.ad().isLeaf()) {
            throw new IllegalStateException("requiresGrad(false): this tensor is computed from tensors that require "
                    + "gradients (by " + t.ad().op() + "); use detach() for a copy without gradients");
        }
        t.setAd(null);
        return t;
    }

    static Tensor grad(Tensor t) {
        t.value.checkUsable("grad()");
        return t.ad() == null ? null : t.ad().grad();
    }

    static void setGrad(Tensor t, Tensor g) {
        t.value.checkUsable("setGrad()");
        if (t.ad() == null) {
            throw new IllegalStateException("setGrad(): the tensor does not require gradients; call "
                    + "requiresGrad(true) on it first");
        }
        if (g == null) {
            t.ad().setGrad(null);
            return;
        }
        g.value.checkUsable("setGrad()");
        if (!java.util.Arrays.equals(g.value.shape, t.value.shape)) {
            throw new IllegalArgumentException("setGrad(): a gradient of shape " + Shapes.str(g.value.shape)
                    + " for a tensor of shape " + Shapes.str(t.value.shape) + "; the shapes must be equal");
        }
        if (!g.dtype().isFloat()) {
            throw new IllegalArgumentException("setGrad(): a " + g.dtype() + " gradient; gradients are float "
                    + "tensors (convert with to(" + t.dtype() + "))");
        }
        TensorValue.checkSameDevice("setGrad()", t, g);
        t.ad().setGrad(g.detach().to(t.dtype()));
    }

    static Tensor retainGrad(Tensor t) {
        t.value.checkUsable("retainGrad()");
        if (t.ad() == null) {
            throw new IllegalStateException("retainGrad(): the tensor does not require gradients; only values "
                    + "computed from tensors with requiresGrad(true) have a gradient to retain");
        }
        t.ad().retain();
        return t;
    }

    static void backward(Tensor t) {
        t.value.checkUsable("backward()");
        AdNode start = t.ad();
        if (start == null) {
            throw new IllegalStateException("backward(): this " + t.dtype() + " " + Shapes.str(t.value.shape)
                    + " tensor does not require gradients; call requiresGrad(true) on the inputs to differentiate "
                    + "(before computing it), and make sure it was not computed inside Weft.noGrad()");
        }
        Objects.requireNonNull(start);
        Backprop.run(t, start);
    }
}
