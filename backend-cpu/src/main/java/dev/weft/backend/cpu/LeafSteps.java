package dev.weft.backend.cpu;

import dev.weft.DType;

/**
 * Literals, launch parameters and the lane index. Literals and parameters are the same in every
 * lane and every chunk, so their registers are filled once per launch (in {@link Step.Exec#reset})
 * and never reused by another value; nothing runs per chunk.
 */
final class LeafSteps {
    private LeafSteps() {}

    static Step literal(DType type, int out, long bits) {
        return Step.of(f -> new Step.Exec() {
            @Override
            public void run(long base, int lanes) {}

            @Override
            public void reset() {
                f.fillBits(type, out, bits);
            }
        });
    }

    static Step param(DType type, int out, int index) {
        return Step.of(f -> new Step.Exec() {
            @Override
            public void run(long base, int lanes) {}

            @Override
            public void reset() {
                f.fillBits(type, out, f.launch.params[index]);
            }
        });
    }

    static Step lane(int out) {
        return Step.of(f -> {
            int[] y = f.ints[out];
            return (base, lanes) -> {
                int first = (int) base;
                for (int l = 0; l < lanes; l++) {
                    y[l] = first + l;
                }
            };
        });
    }
}
