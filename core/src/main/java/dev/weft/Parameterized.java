package dev.weft;

import java.util.Map;

/**
 * Something that holds named tensors: layers and optimizers meet through it ({@code
 * layer.update(optimizer)}, {@code optimizer.update(layer)}) without knowing each other.
 */
public interface Parameterized {
    /**
     * The parameters by dotted key, in a fixed order. The map is a live view: {@code put}
     * writes into the parameter's cell (casting a float value to the cell's dtype); it cannot
     * add or remove keys.
     */
    Map<String, Tensor> parameters();
}
