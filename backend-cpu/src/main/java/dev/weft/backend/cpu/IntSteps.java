package dev.weft.backend.cpu;

import dev.weft.ir.Op;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * I32 and U32 arithmetic over a chunk (both live in {@code int[]}; the bits of a sum, product,
 * bitwise op or left shift do not depend on the signedness). Wrapping arithmetic, bitwise ops,
 * shifts (count masked to 31, as Java and the Vector API both do) and signed min/max are Vector
 * API loops; division (by zero gives 0), remainder, high products, unsigned order and
 * comparisons are plain loops.
 */
final class IntSteps {
    static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private IntSteps() {}

    static Step unary(Op op, boolean unsigned, int out, int a) {
        return switch (op) {
            case NEG -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] y = f.ints[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).neg().intoArray(y, l);
                    }
                };
            });
            case NOT -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] y = f.ints[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).not().intoArray(y, l);
                    }
                };
            });
            case ABS -> unsigned ? copy(out, a) : Step.of(f -> {
                int[] x = f.ints[a];
                int[] y = f.ints[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).abs().intoArray(y, l);
                    }
                };
            });
            case FLOOR, CEIL, ROUND, TRUNC -> copy(out, a);
            default -> null;
        };
    }

    static Step copy(int out, int a) {
        return Step.of(f -> {
            int[] x = f.ints[a];
            int[] y = f.ints[out];
            return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
        });
    }

    static Step binary(Op op, boolean unsigned, int out, int a, int b) {
        return switch (op) {
            case ADD -> vector(out, a, b, VectorOperators.ADD);
            case SUB -> vector(out, a, b, VectorOperators.SUB);
            case MUL -> vector(out, a, b, VectorOperators.MUL);
            case AND -> vector(out, a, b, VectorOperators.AND);
            case OR -> vector(out, a, b, VectorOperators.OR);
            case XOR -> vector(out, a, b, VectorOperators.XOR);
            case SHL -> vector(out, a, b, VectorOperators.LSHL);
            case SHR -> vector(out, a, b, unsigned ? VectorOperators.LSHR : VectorOperators.ASHR);
            case MIN -> unsigned ? scalar(out, a, b, (x, y) -> Integer.compareUnsigned(x, y) <= 0 ? x : y)
                    : vector(out, a, b, VectorOperators.MIN);
            case MAX -> unsigned ? scalar(out, a, b, (x, y) -> Integer.compareUnsigned(x, y) >= 0 ? x : y)
                    : vector(out, a, b, VectorOperators.MAX);
            case DIV -> unsigned ? scalar(out, a, b, (x, y) -> y == 0 ? 0 : Integer.divideUnsigned(x, y))
                    : scalar(out, a, b, (x, y) -> y == 0 ? 0 : x / y);
            case REM -> unsigned ? scalar(out, a, b, (x, y) -> y == 0 ? 0 : Integer.remainderUnsigned(x, y))
                    : scalar(out, a, b, (x, y) -> y == 0 ? 0 : x % y);
            case MULHI -> unsigned
                    ? scalar(out, a, b, (x, y) -> (int) (((x & 0xFFFF_FFFFL) * (y & 0xFFFF_FFFFL)) >>> 32))
                    : scalar(out, a, b, (x, y) -> (int) (((long) x * y) >> 32));
            default -> null;
        };
    }

    /**
     * The Vector API loop for one operator, picked once at bind time; each loop names its
     * operator as a constant, as the Vector API needs to compile it to vector instructions.
     */
    private static Step vector(int out, int a, int b, VectorOperators.Binary operator) {
        return Step.of(f -> {
            int[] x = f.ints[a];
            int[] z = f.ints[b];
            int[] y = f.ints[out];
            return switch (operator.name()) {
                case "ADD" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).add(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "SUB" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).sub(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "MUL" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).mul(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "AND" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).and(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "OR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).or(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "XOR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).lanewise(VectorOperators.XOR, IntVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "LSHL" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).lanewise(VectorOperators.LSHL, IntVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "LSHR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).lanewise(VectorOperators.LSHR, IntVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "ASHR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).lanewise(VectorOperators.ASHR, IntVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "MIN" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).min(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "MAX" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        IntVector.fromArray(S, x, l).max(IntVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                default -> throw new AssertionError("IntSteps: no vector loop for " + operator);
            };
        });
    }

    /** A plain loop over a scalar function (C2 inlines it into the lambda's loop). */
    private static Step scalar(int out, int a, int b, java.util.function.IntBinaryOperator fn) {
        return Step.of(f -> {
            int[] x = f.ints[a];
            int[] z = f.ints[b];
            int[] y = f.ints[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = fn.applyAsInt(x[l], z[l]);
                }
            };
        });
    }

    /** {@code a * b + c}, wrapping. */
    static Step fma(int out, int a, int b, int c) {
        return Step.of(f -> {
            int[] x = f.ints[a];
            int[] z = f.ints[b];
            int[] w = f.ints[c];
            int[] y = f.ints[out];
            return (base, lanes) -> {
                for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                    IntVector.fromArray(S, x, l).mul(IntVector.fromArray(S, z, l)).add(IntVector.fromArray(S, w, l))
                            .intoArray(y, l);
                }
            };
        });
    }

    static Step compare(Op op, boolean unsigned, int out, int a, int b) {
        // unsigned order is signed order with the sign bits flipped
        int flip = unsigned ? Integer.MIN_VALUE : 0;
        return switch (op) {
            case EQ -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] == z[l] ? 1 : 0);
                    }
                };
            });
            case NE -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] != z[l] ? 1 : 0);
                    }
                };
            });
            case LT -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) < (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case LE -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) <= (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case GT -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) > (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case GE -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] z = f.ints[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) >= (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            default -> null;
        };
    }

    static Step select(int out, int mask, int a, int b) {
        return Step.of(f -> {
            byte[] m = f.bools[mask];
            int[] x = f.ints[a];
            int[] z = f.ints[b];
            int[] y = f.ints[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = m[l] != 0 ? x[l] : z[l];
                }
            };
        });
    }
}
