package dev.weft.conformance;

/**
 * The optimizers of reference-semantics.md §5 on the problem {@code (x - 2)^2} from {@code x = 1}
 * (gradient {@code 2 (x - 2)}), in Java float arithmetic, for {@link OptimizerCases}: every
 * {@code fma} one rounding ({@link Math#fma(float, float, float)}), {@code lerp(a, b, t) =
 * fma(b, t, fma(-a, t, a))}, Python constants rounded to float at their use, step factors
 * multiplied in double and rounded once, Adam's bias factor rounded to float before its product
 * with the rounded learning rate. Written apart from the optimizers it checks.
 */
final class HostOptimizers {
    private HostOptimizers() {}

    /** One optimizer's state on the scalar problem. */
    interface Rule {
        /** x after one step from {@code x} with gradient {@code g} at step {@code t} (from 1). */
        float step(float x, float g, int t);
    }

    /** The ten values of x after each step. */
    static float[] trajectory(Rule rule, int steps) {
        float x = 1f;
        float[] out = new float[steps];
        for (int t = 1; t <= steps; t++) {
            float u = x - 2f;
            x = rule.step(x, u + u, t);
            out[t - 1] = x;
        }
        return out;
    }

    private static float lerp(float a, float b, float t) {
        return Math.fma(b, t, Math.fma(-a, t, a));
    }

    private static float rsqrt(float v) {
        return 1f / (float) Math.sqrt(v);
    }

    static Rule sgd(double lr, double momentum, boolean nesterov) {
        float mu = (float) momentum;
        float[] v = {0f};
        return (x, g, t) -> {
            float step = g;
            if (momentum != 0) {
                v[0] = Math.fma(mu, v[0], g);
                step = nesterov ? Math.fma(mu, v[0], g) : v[0];
            }
            return Math.fma(step, (float) -lr, x);
        };
    }

    static Rule rmsprop(double lr, double alpha, double eps) {
        float[] v = {0f};
        return (x, g, t) -> {
            v[0] = lerp(g * g, v[0], (float) alpha);
            float step = eps <= 1e-6 ? g * rsqrt(v[0] + (float) (eps * eps)) : g / ((float) Math.sqrt(v[0]) + (float) eps);
            return Math.fma(step, (float) -lr, x);
        };
    }

    /** Adam; AMSGrad with {@code amsgrad}, AdamW with {@code weightDecay > 0}. */
    static Rule adam(double lr, double b1, double b2, double eps, boolean amsgrad, double weightDecay) {
        float[] s = {0f, 0f, 0f}; // m, v, vmax
        return (x, g, t) -> {
            s[0] = lerp(g, s[0], (float) b1);
            s[1] = lerp(g * g, s[1], (float) b2);
            s[2] = Math.max(s[2], s[1]);
            float vhat = amsgrad ? s[2] : s[1];
            float f = (float) (-Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            float step = eps <= 1e-6 ? s[0] * rsqrt(vhat + (float) (eps * eps))
                    : s[0] / ((float) Math.sqrt(vhat) + (float) eps);
            float next = Math.fma(step, (float) lr * f, x);
            return weightDecay > 0 ? Math.fma(x, (float) -(lr * weightDecay), next) : next;
        };
    }
}
