package dev.weft.backend.cpu;

import dev.weft.ir.Op;

/**
 * BOOL logic over a chunk ({@code byte[]} registers holding 0 or 1), and {@code SELECT} of the
 * storage-only F16 values ({@code short[]} half bits), which move without arithmetic.
 */
final class BoolSteps {
    private BoolSteps() {}

    static Step not(int out, int a) {
        return Step.of(f -> {
            byte[] x = f.bools[a];
            byte[] y = f.bools[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = (byte) (x[l] ^ 1);
                }
            };
        });
    }

    /** AND (also MIN and MUL of 0/1), OR (also MAX), XOR; null for anything else. */
    static Step binary(Op op, int out, int a, int b) {
        return switch (op) {
            case AND, MIN, MUL -> Step.of(f -> {
                byte[] x = f.bools[a];
                byte[] z = f.bools[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] & z[l]);
                    }
                };
            });
            case OR, MAX -> Step.of(f -> {
                byte[] x = f.bools[a];
                byte[] z = f.bools[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] | z[l]);
                    }
                };
            });
            case XOR -> Step.of(f -> {
                byte[] x = f.bools[a];
                byte[] z = f.bools[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] ^ z[l]);
                    }
                };
            });
            default -> null;
        };
    }

    static Step select(int out, int mask, int a, int b) {
        return Step.of(f -> {
            byte[] m = f.bools[mask];
            byte[] x = f.bools[a];
            byte[] z = f.bools[b];
            byte[] y = f.bools[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = m[l] != 0 ? x[l] : z[l];
                }
            };
        });
    }

    static Step selectHalf(int out, int mask, int a, int b) {
        return Step.of(f -> {
            byte[] m = f.bools[mask];
            short[] x = f.halves[a];
            short[] z = f.halves[b];
            short[] y = f.halves[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = m[l] != 0 ? x[l] : z[l];
                }
            };
        });
    }
}
