package dev.weft.optim;

/**
 * The optimizers of reference-semantics.md §5 on one F32 scalar, written apart from the code under
 * test in Java float arithmetic: each {@code fma} is {@link Math#fma(float, float, float)} (one
 * rounding), every other operation rounds to float, constants are rounded to float where the
 * reference converts a Python float to the array's type, step factors are multiplied in double
 * and rounded once (or, for Adam's bias factor, rounded before a float product), as §5.2 says.
 * The problem is {@code (x - 2)^2} from {@code x = 1}, whose gradient is {@code 2 (x - 2)}.
 */
final class HostModel {
    private HostModel() {}

    static float gradient(float x) {
        float u = x - 2f;
        return u + u;
    }

    static float lerp(float a, float b, float t) {
        return Math.fma(b, t, Math.fma(-a, t, a));
    }

    static float rsqrt(float x) {
        return 1f / (float) Math.sqrt(x);
    }

    static float[] sgd(double lr, double momentum, boolean nesterov, int steps) {
        float x = 1f;
        float v = 0f;
        float mu = (float) momentum;
        float scale = (float) -lr;
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            float g = gradient(x);
            float step = g;
            if (momentum != 0) {
                v = Math.fma(mu, v, g);
                step = nesterov ? Math.fma(mu, v, g) : v;
            }
            x = Math.fma(step, scale, x);
            out[i] = x;
        }
        return out;
    }

    static float[] rmsprop(double lr, double alpha, double eps, int steps) {
        float x = 1f;
        float v = 0f;
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            float g = gradient(x);
            v = lerp(g * g, v, (float) alpha);
            float step = eps <= 1e-6 ? g * rsqrt(v + (float) (eps * eps)) : g / ((float) Math.sqrt(v) + (float) eps);
            x = Math.fma(step, (float) -lr, x);
            out[i] = x;
        }
        return out;
    }

    /** Adam, AMSGrad ({@code amsgrad}) and AdamW ({@code weightDecay > 0}). */
    static float[] adam(double lr, double b1, double b2, double eps, boolean amsgrad, double weightDecay, int steps) {
        float x = 1f;
        float m = 0f;
        float v = 0f;
        float vmax = 0f;
        float[] out = new float[steps];
        for (int t = 1; t <= steps; t++) {
            float g = gradient(x);
            m = lerp(g, m, (float) b1);
            v = lerp(g * g, v, (float) b2);
            float f = (float) (-Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            float scale = (float) lr * f;
            float vhat = v;
            if (amsgrad) {
                vmax = Math.max(vmax, v);
                vhat = vmax;
            }
            float step = eps <= 1e-6 ? m * rsqrt(vhat + (float) (eps * eps)) : m / ((float) Math.sqrt(vhat) + (float) eps);
            float next = Math.fma(step, scale, x);
            if (weightDecay > 0) {
                next = Math.fma(x, (float) -(lr * weightDecay), next);
            }
            x = next;
            out[t - 1] = x;
        }
        return out;
    }
}
