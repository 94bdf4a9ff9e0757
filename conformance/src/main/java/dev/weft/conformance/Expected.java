package dev.weft.conformance;

import dev.weft.DType;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What a result must be, computed on the host, and how an actual result is compared with it:
 * bit for bit ({@link Exact}), within an ulp bound of an exact value ({@link Ulps}, for the
 * polynomial transcendentals) or within an absolute bound per element ({@link Bounded}, for
 * sums in a backend-chosen order). Every comparison checks dtype and shape first, and a failure
 * lists the first differing elements with their bits.
 */
public sealed interface Expected {
    /** How many differing elements a failure report lists. */
    int SHOWN = 8;

    DType dtype();

    long[] shape();

    /** PASSED, or FAILED with a report of the differences. */
    Outcome compare(Values actual);

    /** Bit-exact: the same bits in every element (any NaN matches any NaN). */
    record Exact(Values values) implements Expected {
        @Override
        public DType dtype() {
            return values.dtype();
        }

        @Override
        public long[] shape() {
            return values.shape();
        }

        @Override
        public Outcome compare(Values actual) {
            return header(this, actual).then(() -> elements(actual, i -> values.sameElement(i, actual.bits()[i]),
                    i -> "expected " + values.format(i) + ", actual " + actual.format(i)));
        }
    }

    /**
     * Within {@code ulps} units in the last place of {@code dtype} around {@code exact} (a
     * double from {@code StrictMath}); NaN must give NaN and an infinite rounded value the same
     * infinity.
     */
    record Ulps(DType dtype, long[] shape, double[] exact, double ulps) implements Expected {
        @Override
        public Outcome compare(Values actual) {
            return header(this, actual).then(() -> elements(actual, i -> within(exact[i], actual.value(i)),
                    i -> "expected " + exact[i] + " within " + ulps + " ulp, actual " + actual.format(i)
                            + " (" + String.format("%.3g", ulpError(dtype, exact[i], actual.value(i))) + " ulp)"));
        }

        private boolean within(double e, double a) {
            double rounded = round(dtype, e);
            if (Double.isNaN(e) || Double.isInfinite(rounded)) {
                return Double.isNaN(e) ? Double.isNaN(a) : a == rounded;
            }
            return ulpError(dtype, e, a) <= ulps;
        }
    }

    /** Within {@code bound[i]} of {@code exact[i]}; NaN must give NaN and infinity the same infinity. */
    record Bounded(DType dtype, long[] shape, double[] exact, double[] bound) implements Expected {
        @Override
        public Outcome compare(Values actual) {
            return header(this, actual).then(() -> elements(actual, i -> within(exact[i], bound[i], actual.value(i)),
                    i -> "expected " + exact[i] + " +- " + bound[i] + ", actual " + actual.format(i)
                            + " (off by " + Math.abs(actual.value(i) - exact[i]) + ")"));
        }

        private static boolean within(double e, double bound, double a) {
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                return Double.isNaN(e) ? Double.isNaN(a) : a == e;
            }
            return Math.abs(a - e) <= bound;
        }
    }

    /** {@code e} rounded to {@code dtype}'s precision (as a double). */
    static double round(DType dtype, double e) {
        return switch (dtype) {
            case F16 -> Float.float16ToFloat(HalfRounding.fromDouble(e));
            case F32 -> (float) e;
            default -> e;
        };
    }

    /** |a - e| in units of the last place of {@code dtype} at {@code e} (subnormal spacing below the normals). */
    static double ulpError(DType dtype, double e, double a) {
        double r = Math.abs(round(dtype, e));
        double ulp = switch (dtype) {
            case F16 -> Math.max(0x1p-24, Math.ulp((float) r) * 0x1p13);
            case F32 -> Math.ulp((float) r);
            default -> Math.ulp(r);
        };
        if (a == e) {
            return 0;
        }
        return Math.abs(a - e) / ulp;
    }

    private static Outcome header(Expected e, Values actual) {
        if (actual.dtype() != e.dtype()) {
            return Outcome.failed("dtype: expected " + e.dtype() + ", actual " + actual.dtype());
        }
        if (!Arrays.equals(actual.shape(), e.shape())) {
            return Outcome.failed("shape: expected " + Arrays.toString(e.shape()) + ", actual "
                    + Arrays.toString(actual.shape()));
        }
        return Outcome.passed();
    }

    private static Outcome elements(Values actual, IntPredicate ok, java.util.function.IntFunction<String> describe) {
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < actual.size(); i++) {
            if (!ok.test(i)) {
                if (bad < SHOWN) {
                    sb.append("\n  [").append(i).append("] ").append(describe.apply(i));
                }
                bad++;
            }
        }
        if (bad == 0) {
            return Outcome.passed();
        }
        return Outcome.failed(bad + " of " + actual.size() + " elements differ (" + actual.dtype() + " "
                + Arrays.toString(actual.shape()) + "):" + sb + (bad > SHOWN ? "\n  ..." : ""));
    }
}
