package dev.weft.backend.cpu;

import dev.weft.ir.Op;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F64 arithmetic over a chunk. The correctly rounded ops ({@code + - * / sqrt fma}) and
 * {@code min max} (as {@link Math#min}) are Vector API loops over the whole vectors that cover
 * the chunk (registers are chunk-sized, so the last vector's extra lanes are scratch); the ops
 * without a vector equivalent ({@code floor ceil rint trunc %}, comparisons) are plain loops,
 * which C2 vectorizes where it can.
 */
final class DoubleSteps {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private DoubleSteps() {}

    /** A step for a unary op, or null if this class has none. */
    static Step unary(Op op, int out, int a) {
        return switch (op) {
            case NEG -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).neg().intoArray(y, l);
                    }
                };
            });
            case ABS -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).abs().intoArray(y, l);
                    }
                };
            });
            case SQRT -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).sqrt().intoArray(y, l);
                    }
                };
            });
            case FLOOR -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Math.floor(x[l]);
                    }
                };
            });
            case CEIL -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Math.ceil(x[l]);
                    }
                };
            });
            case ROUND -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Math.rint(x[l]);
                    }
                };
            });
            case TRUNC -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        double v = x[l];
                        y[l] = (v < 0 ? Math.ceil(v) : Math.floor(v));
                    }
                };
            });
            default -> null;
        };
    }

    /** A step for a binary op, or null if this class has none. */
    static Step binary(Op op, int out, int a, int b) {
        return switch (op) {
            case ADD -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).add(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case SUB -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).sub(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MUL -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).mul(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case DIV -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).div(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MIN -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).min(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MAX -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        DoubleVector.fromArray(S, x, l).max(DoubleVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case REM -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = x[l] % z[l];
                    }
                };
            });
            default -> null;
        };
    }

    /** {@code a * b + c} rounded once. */
    static Step fma(int out, int a, int b, int c) {
        return Step.of(f -> {
            double[] x = f.doubles[a];
            double[] z = f.doubles[b];
            double[] w = f.doubles[c];
            double[] y = f.doubles[out];
            return (base, lanes) -> {
                for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                    DoubleVector.fromArray(S, x, l).fma(DoubleVector.fromArray(S, z, l), DoubleVector.fromArray(S, w, l))
                            .intoArray(y, l);
                }
            };
        });
    }

    /** A comparison into a BOOL register, or null for a non-comparison. */
    static Step compare(Op op, int out, int a, int b) {
        return switch (op) {
            case EQ -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] == z[l] ? 1 : 0);
                    }
                };
            });
            case NE -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] != z[l] ? 1 : 0);
                    }
                };
            });
            case LT -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] < z[l] ? 1 : 0);
                    }
                };
            });
            case LE -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] <= z[l] ? 1 : 0);
                    }
                };
            });
            case GT -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] > z[l] ? 1 : 0);
                    }
                };
            });
            case GE -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] z = f.doubles[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] >= z[l] ? 1 : 0);
                    }
                };
            });
            default -> null;
        };
    }

    /** {@code mask ? a : b}. */
    static Step select(int out, int mask, int a, int b) {
        return Step.of(f -> {
            byte[] m = f.bools[mask];
            double[] x = f.doubles[a];
            double[] z = f.doubles[b];
            double[] y = f.doubles[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = m[l] != 0 ? x[l] : z[l];
                }
            };
        });
    }
}
