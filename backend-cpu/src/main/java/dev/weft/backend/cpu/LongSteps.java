package dev.weft.backend.cpu;

import dev.weft.ir.Op;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * I32 and U32 arithmetic over a chunk (both live in {@code long[]}; the bits of a sum, product,
 * bitwise op or left shift do not depend on the signedness). Wrapping arithmetic, bitwise ops,
 * shifts (count masked to 31, as Java and the Vector API both do) and signed min/max are Vector
 * API loops; division (by zero gives 0), remainder, high products, unsigned order and
 * comparisons are plain loops.
 */
final class LongSteps {
    static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private LongSteps() {}

    static Step unary(Op op, boolean unsigned, int out, int a) {
        return switch (op) {
            case NEG -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] y = f.longs[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).neg().intoArray(y, l);
                    }
                };
            });
            case NOT -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] y = f.longs[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).not().intoArray(y, l);
                    }
                };
            });
            case ABS -> unsigned ? copy(out, a) : Step.of(f -> {
                long[] x = f.longs[a];
                long[] y = f.longs[out];
                return (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).abs().intoArray(y, l);
                    }
                };
            });
            case FLOOR, CEIL, ROUND, TRUNC -> copy(out, a);
            default -> null;
        };
    }

    static Step copy(int out, int a) {
        return Step.of(f -> {
            long[] x = f.longs[a];
            long[] y = f.longs[out];
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
            case MIN -> unsigned ? scalar(out, a, b, (x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y)
                    : vector(out, a, b, VectorOperators.MIN);
            case MAX -> unsigned ? scalar(out, a, b, (x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y)
                    : vector(out, a, b, VectorOperators.MAX);
            case DIV -> unsigned ? scalar(out, a, b, (x, y) -> y == 0 ? 0L : Long.divideUnsigned(x, y))
                    : scalar(out, a, b, (x, y) -> y == 0 ? 0L : x / y);
            case REM -> unsigned ? scalar(out, a, b, (x, y) -> y == 0 ? 0L : Long.remainderUnsigned(x, y))
                    : scalar(out, a, b, (x, y) -> y == 0 ? 0L : x % y);
            case MULHI -> unsigned
                    ? scalar(out, a, b, Math::unsignedMultiplyHigh)
                    : scalar(out, a, b, Math::multiplyHigh);
            default -> null;
        };
    }

    /**
     * The Vector API loop for one operator, picked once at bind time; each loop names its
     * operator as a constant, as the Vector API needs to compile it to vector instructions.
     */
    private static Step vector(int out, int a, int b, VectorOperators.Binary operator) {
        return Step.of(f -> {
            long[] x = f.longs[a];
            long[] z = f.longs[b];
            long[] y = f.longs[out];
            return switch (operator.name()) {
                case "ADD" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).add(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "SUB" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).sub(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "MUL" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).mul(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "AND" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).and(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "OR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).or(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "XOR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).lanewise(VectorOperators.XOR, LongVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "LSHL" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).lanewise(VectorOperators.LSHL, LongVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "LSHR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).lanewise(VectorOperators.LSHR, LongVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "ASHR" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).lanewise(VectorOperators.ASHR, LongVector.fromArray(S, z, l))
                                .intoArray(y, l);
                    }
                };
                case "MIN" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).min(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                case "MAX" -> (base, lanes) -> {
                    for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                        LongVector.fromArray(S, x, l).max(LongVector.fromArray(S, z, l)).intoArray(y, l);
                    }
                };
                default -> throw new AssertionError("LongSteps: no vector loop for " + operator);
            };
        });
    }

    /** A plain loop over a scalar function (C2 inlines it into the lambda's loop). */
    private static Step scalar(int out, int a, int b, java.util.function.LongBinaryOperator fn) {
        return Step.of(f -> {
            long[] x = f.longs[a];
            long[] z = f.longs[b];
            long[] y = f.longs[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = fn.applyAsLong(x[l], z[l]);
                }
            };
        });
    }

    /** {@code a * b + c}, wrapping. */
    static Step fma(int out, int a, int b, int c) {
        return Step.of(f -> {
            long[] x = f.longs[a];
            long[] z = f.longs[b];
            long[] w = f.longs[c];
            long[] y = f.longs[out];
            return (base, lanes) -> {
                for (int l = 0, n = Step.padded(lanes, V); l < n; l += V) {
                    LongVector.fromArray(S, x, l).mul(LongVector.fromArray(S, z, l)).add(LongVector.fromArray(S, w, l))
                            .intoArray(y, l);
                }
            };
        });
    }

    static Step compare(Op op, boolean unsigned, int out, int a, int b) {
        // unsigned order is signed order with the sign bits flipped
        long flip = unsigned ? Long.MIN_VALUE : 0;
        return switch (op) {
            case EQ -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] == z[l] ? 1 : 0);
                    }
                };
            });
            case NE -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) (x[l] != z[l] ? 1 : 0);
                    }
                };
            });
            case LT -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) < (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case LE -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) <= (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case GT -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
                byte[] y = f.bools[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = (byte) ((x[l] ^ flip) > (z[l] ^ flip) ? 1 : 0);
                    }
                };
            });
            case GE -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] z = f.longs[b];
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
            long[] x = f.longs[a];
            long[] z = f.longs[b];
            long[] y = f.longs[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = m[l] != 0 ? x[l] : z[l];
                }
            };
        });
    }
}
