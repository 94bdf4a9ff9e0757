package dev.weft.conformance;

import java.util.function.ToDoubleFunction;

/**
 * Partial derivatives of host functions in double by central differences with one Richardson
 * step: {@code (4 D(h/2) - D(h)) / 3}, whose truncation error is O(h^4). With h = 1e-3 and
 * smooth functions of moderate size the result is within about 1e-11 of the derivative, far
 * below the F32 bounds it is used with and below {@link #ERROR} for F64.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /** The relative error allowed for a finite-difference value (beyond the device's own bound). */
    static final double ERROR = 1e-9;

    private static final double H = 1e-3;

    /** d f / d p[i] at {@code p}. */
    static double partial(ToDoubleFunction<double[]> f, double[] p, int i) {
        return (4 * central(f, p, i, H / 2) - central(f, p, i, H)) / 3;
    }

    private static double central(ToDoubleFunction<double[]> f, double[] p, int i, double h) {
        double[] plus = p.clone();
        double[] minus = p.clone();
        plus[i] += h;
        minus[i] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }
}
