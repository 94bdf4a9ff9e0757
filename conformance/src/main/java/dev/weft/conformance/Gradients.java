package dev.weft.conformance;

import dev.weft.DType;
import java.util.Arrays;

/**
 * Expected gradients built on the host, element by element in the order the device case
 * concatenates them: an exact value (a double computed from the inputs) and how far the device
 * may be from it (0 where the device's rounded operations are reproduced exactly).
 */
final class Gradients {
    private final DType dtype;
    private double[] exact = new double[16];
    private double[] bound = new double[16];
    private int size;

    Gradients(DType dtype) {
        this.dtype = dtype;
    }

    /** Appends one element. */
    Gradients add(double exactValue, double errorBound) {
        if (size == exact.length) {
            exact = Arrays.copyOf(exact, size * 2);
            bound = Arrays.copyOf(bound, size * 2);
        }
        exact[size] = exactValue;
        bound[size] = errorBound;
        size++;
        return this;
    }

    /** Appends a value the device must produce exactly. */
    Gradients exact(double value) {
        return add(value, 0);
    }

    /** Appends a sum of {@code terms} in a backend-chosen order, each term within {@code termBound} of its exact value. */
    Gradients sum(double[] terms, double termBound) {
        double s = SumBounds.exactSum(terms);
        return add(s, SumBounds.bound(dtype, terms, s) + termBound);
    }

    /** Appends element {@code i} of this to {@code target}. */
    void copyTo(int i, Gradients target) {
        target.add(exact[i], bound[i]);
    }

    /** Appends every element of {@code other}. */
    Gradients append(Gradients other) {
        for (int i = 0; i < other.size; i++) {
            other.copyTo(i, this);
        }
        return this;
    }

    /** Everything appended, as a flat expected result. */
    Expected expected() {
        return new Expected.Bounded(dtype, new long[] {size}, Arrays.copyOf(exact, size), Arrays.copyOf(bound, size));
    }
}
