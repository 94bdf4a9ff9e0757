package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mutable cell holding an immutable tensor: what layers, matrix views and encodings hold, so
 * that swapping the value (an optimizer step) is seen by everyone who holds the cell.
 *
 * <p>{@link #set} keeps the cell's dtype and shape: a value of another float dtype is cast to
 * the cell's dtype; a value of another shape or a non-float value is rejected and the cell
 * keeps its value. Values held by a cell survive the {@code Weft.scope()} they were made in.
 */
public final class Parameter {
    private Tensor value;

    public Parameter(Tensor initial) {
        Objects.requireNonNull(initial, "Parameter(): initial value");
        initial.value.checkUsable("Parameter()");
        this.value = initial;
        initial.value.pin();
    }

    public Tensor get() {
        return value;
    }

    /**
     * Replaces the value.
     *
     * @throws IllegalArgumentException if the shape differs or the value is not a float tensor
     *     while the cell is (the cell keeps its value)
     */
    public void set(Tensor v) {
        Objects.requireNonNull(v, "Parameter.set(): value");
        v.value.checkUsable("Parameter.set()");
        checkArgument(Arrays.equals(v.shape(), value.shape()),
                "Parameter.set(): shape %s does not match the parameter's shape %s; reshape the value first",
                Arrays.toString(v.shape()), Arrays.toString(value.shape()));
        Tensor cast = v;
        if (v.dtype() != value.dtype()) {
            checkArgument(v.dtype().isFloat() && value.dtype().isFloat(),
                    "Parameter.set(): a %s value cannot go into a %s parameter; only float dtypes convert",
                    v.dtype(), value.dtype());
            cast = v.to(value.dtype());
        }
        value.value.unpin();
        value = cast;
        cast.value.pin();
    }

    public DType dtype() {
        return value.dtype();
    }

    public long[] shape() {
        return value.shape();
    }

    @Override
    public String toString() {
        return "Parameter[" + value.dtype() + " " + Arrays.toString(value.shape()) + "]";
    }
}
