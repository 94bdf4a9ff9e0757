package dev.weft.optim;

import dev.weft.DType;
import dev.weft.Parameter;
import dev.weft.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registered parameter of an {@link Optimizer}: its master value, the dtype it was registered
 * with, its own learning rate if it has one, and the optimizer's state for it. Everything on the
 * device is held in {@link Parameter} cells, so a step inside {@code Weft.scope()} keeps it.
 */
final class Slot {
    /** The master: a leaf with gradients on (F32 for a parameter registered as F16). */
    final Parameter value;
    /** The dtype {@link Optimizer#get} gives back. */
    final DType registered;
    /** This parameter's learning rate, or null for the optimizer's. */
    Double learningRate;
    /** Named state tensors (moments), each of the master's dtype and shape. */
    final Map<String, Parameter> moments = new LinkedHashMap<>();
    /** Steps taken (Adam's t; it advances on masked steps too, as the reference's does). */
    long steps;

    Slot(Tensor master, DType registered) {
        this.value = new Parameter(master);
        this.registered = registered;
    }

    Tensor master() {
        return value.get();
    }

    Tensor moment(String name) {
        Parameter p = moments.get(name);
        return p == null ? null : p.get();
    }

    /** The moments' current values, by name. */
    Map<String, Tensor> momentValues() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        moments.forEach((k, p) -> out.put(k, p.get()));
        return out;
    }
}
