package dev.weft.backend.cpu;

import dev.weft.ir.Op;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 arithmetic over a chunk. The correctly rounded ops ({@code + - * / sqrt fma}) and
 * {@code min max} (as {@link Math#min}) are Vector API loops over the whole vectors that cover
 * the chunk (registers are chunk-sized, so the last vector's extra lanes are scratch); the ops
 * without a vector equivalent ({@code floor ceil rint trunc %}) are plain loops, which C2
 * vectorizes where it can; comparisons and selects go through {@link BoolLanes}.
 */
final class FloatSteps {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private FloatSteps() {}

    /** A step for a unary op, or null if this class has none. */
    static Step unary(Op op, int out, int a) {
        return switch (op) {
            case NEG -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).neg().intoArray(y, l);
                    }
                };
            });
            case ABS -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).abs().intoArray(y, l);
                    }
                };
            });
            case SQRT -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).sqrt().intoArray(y, l);
                    }
                };
            });
            case FLOOR -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (float) Math.floor(x[l]);
                    }
                };
            });
            case CEIL -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (float) Math.ceil(x[l]);
                    }
                };
            });
            case ROUND -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (float) Math.rint(x[l]);
                    }
                };
            });
            case TRUNC -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        float v = x[l];
                        y[l] = (float) (v < 0 ? Math.ceil(v) : Math.floor(v));
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
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).add(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case SUB -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).sub(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MUL -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).mul(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case DIV -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).div(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MIN -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).min(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case MAX -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        FloatVector.fromArray(S, x, l).max(FloatVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
            });
            case REM -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] z = f.floats[b];
                float[] y = f.floats[out];
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
            float[] x = f.floats[a];
            float[] z = f.floats[b];
            float[] w = f.floats[c];
            float[] y = f.floats[out];
            return (base, lanes) -> {
                for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                    FloatVector.fromArray(S, x, l).fma(FloatVector.fromArray(S, z, l), FloatVector.fromArray(S, w, l))
                            .intoArray(y, l);
                }
            };
        });
    }

    /**
     * A comparison into a BOOL register: with {@link BoolLanes#FLOAT} available, one vector
     * compare per vector of lanes stored as bytes; else a plain loop. NaN compares as Java does
     * ({@code !=} true, the rest false) on both paths.
     */
    static Step compare(Op op, int out, int a, int b) {
        if (op.kind() != Op.Kind.COMPARE) {
            return null;
        }
        if (BoolLanes.FLOAT == null) {
            return scalarCompare(op, out, a, b);
        }
        // one lambda per comparison, each passing its operator as a constant: compareInto is
        // inlined into it, and C2 intrinsifies the compare only for a constant operator (a
        // captured one sent every compare to the Vector API's per-lane fallback)
        return Step.of(f -> {
            float[] x = f.floats[a];
            float[] z = f.floats[b];
            byte[] y = f.bools[out];
            return switch (op) {
                case EQ -> (base, lanes) -> compareInto(VectorOperators.EQ, x, z, y, lanes);
                case NE -> (base, lanes) -> compareInto(VectorOperators.NE, x, z, y, lanes);
                case LT -> (base, lanes) -> compareInto(VectorOperators.LT, x, z, y, lanes);
                case LE -> (base, lanes) -> compareInto(VectorOperators.LE, x, z, y, lanes);
                case GT -> (base, lanes) -> compareInto(VectorOperators.GT, x, z, y, lanes);
                default -> (base, lanes) -> compareInto(VectorOperators.GE, x, z, y, lanes);
            };
        });
    }

    private static void compareInto(VectorOperators.Comparison test, float[] x, float[] z, byte[] y, int lanes) {
        for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
            BoolLanes.store(FloatVector.fromArray(S, x, l).compare(test, FloatVector.fromArray(S, z, l)), y, l);
        }
    }

    private static Step scalarCompare(Op op, int out, int a, int b) {
        return Step.of(f -> {
            float[] x = f.floats[a];
            float[] z = f.floats[b];
            byte[] y = f.bools[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    boolean r = switch (op) {
                        case EQ -> x[l] == z[l];
                        case NE -> x[l] != z[l];
                        case LT -> x[l] < z[l];
                        case LE -> x[l] <= z[l];
                        case GT -> x[l] > z[l];
                        default -> x[l] >= z[l];
                    };
                    y[l] = (byte) (r ? 1 : 0);
                }
            };
        });
    }

    /** {@code mask ? a : b}: a blend under the mask loaded from the BOOL register (a plain loop without {@link BoolLanes#FLOAT}). */
    static Step select(int out, int mask, int a, int b) {
        return Step.of(f -> {
            byte[] m = f.bools[mask];
            float[] x = f.floats[a];
            float[] z = f.floats[b];
            float[] y = f.floats[out];
            if (BoolLanes.FLOAT == null) {
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = m[l] != 0 ? x[l] : z[l];
                    }
                };
            }
            return (base, lanes) -> {
                for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                    FloatVector.fromArray(S, z, l).blend(FloatVector.fromArray(S, x, l), BoolLanes.load(S, m, l))
                            .intoArray(y, l);
                }
            };
        });
    }
}
