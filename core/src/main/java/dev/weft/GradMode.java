package dev.weft;

/**
 * Whether operations are recorded for automatic differentiation on this thread. Nothing is
 * recorded yet (autodiff arrives with its own issue); the scope already nests correctly.
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
