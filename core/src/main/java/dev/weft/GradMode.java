package dev.weft;

/**
 * Whether operations are recorded for automatic differentiation on this thread: off inside
 * {@link Weft#noGrad()}, inside a backward pass (no higher-order derivatives) and while
 * {@link Autodiff#op} computes a primal value.
 */
final class GradMode {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    static boolean enabled() {
        return DISABLED.get()[0] == 0;
    }

    static Weft.Scope disable() {
        int[] depth = DISABLED.get();
        depth[0]++;
        return new Weft.Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    depth[0]--;
                }
            }
        };
    }
}
