package dev.weft.backend.cpu;

import dev.weft.DType;

/**
 * The conversions a training kernel uses, as plain loops over a chunk (C2 vectorizes the F16
 * ones with F16C): F16/F32/F64 among each other (F64 to F16 excepted: it needs one rounding,
 * see {@link dev.weft.ir.ScalarOps#cast}), signed integers to and from floats (Java's casts
 * truncate, give 0 for NaN and saturate, as the IR says), integer widths, BOOL both ways, and the
 * same-width bitcasts. Anything else returns null and runs in {@link FallbackStep}.
 */
final class ConvertSteps {
    private ConvertSteps() {}

    static Step cast(DType from, DType to, int out, int a) {
        if (RegisterClass.of(from) == RegisterClass.of(to) && from != DType.F16 && to != DType.F16) {
            boolean sameValue = from == to || from.bytes() == 8; // I64 <-> U64 keeps the bits
            if (sameValue || from.bytes() == 4) { // I32 <-> U32 keeps the 32 bits too
                return copy(to, out, a);
            }
        }
        return switch (from) {
            case F16 -> switch (to) {
                case F32 -> Step.of(f -> {
                    short[] x = f.halves[a];
                    float[] y = f.floats[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = Float.float16ToFloat(x[l]);
                        }
                    };
                });
                case F64 -> Step.of(f -> {
                    short[] x = f.halves[a];
                    double[] y = f.doubles[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = Float.float16ToFloat(x[l]);
                        }
                    };
                });
                default -> null;
            };
            case F32 -> switch (to) {
                case F16 -> Step.of(f -> {
                    float[] x = f.floats[a];
                    short[] y = f.halves[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = Float.floatToFloat16(x[l]);
                        }
                    };
                });
                case F64 -> Step.of(f -> {
                    float[] x = f.floats[a];
                    double[] y = f.doubles[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                case I32 -> Step.of(f -> {
                    float[] x = f.floats[a];
                    int[] y = f.ints[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (int) x[l];
                        }
                    };
                });
                case I64 -> Step.of(f -> {
                    float[] x = f.floats[a];
                    long[] y = f.longs[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (long) x[l];
                        }
                    };
                });
                case BOOL -> Step.of(f -> {
                    float[] x = f.floats[a];
                    byte[] y = f.bools[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (byte) (x[l] != 0 ? 1 : 0);
                        }
                    };
                });
                default -> null;
            };
            case F64 -> switch (to) {
                case F32 -> Step.of(f -> {
                    double[] x = f.doubles[a];
                    float[] y = f.floats[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (float) x[l];
                        }
                    };
                });
                case I32 -> Step.of(f -> {
                    double[] x = f.doubles[a];
                    int[] y = f.ints[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (int) x[l];
                        }
                    };
                });
                case I64 -> Step.of(f -> {
                    double[] x = f.doubles[a];
                    long[] y = f.longs[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (long) x[l];
                        }
                    };
                });
                case BOOL -> Step.of(f -> {
                    double[] x = f.doubles[a];
                    byte[] y = f.bools[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (byte) (x[l] != 0 ? 1 : 0);
                        }
                    };
                });
                default -> null;
            };
            case I32 -> switch (to) {
                case F32 -> Step.of(f -> {
                    int[] x = f.ints[a];
                    float[] y = f.floats[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                case F64 -> Step.of(f -> {
                    int[] x = f.ints[a];
                    double[] y = f.doubles[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                case I64, U64 -> Step.of(f -> {
                    int[] x = f.ints[a];
                    long[] y = f.longs[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                default -> toBool(from, to, out, a);
            };
            case U32 -> switch (to) {
                case I64, U64, F64 -> Step.of(f -> {
                    int[] x = f.ints[a];
                    long[] ly = to == DType.F64 ? null : f.longs[out];
                    double[] dy = to == DType.F64 ? f.doubles[out] : null;
                    return to == DType.F64
                            ? (base, lanes) -> {
                                for (int l = 0; l < lanes; l++) {
                                    dy[l] = x[l] & 0xFFFF_FFFFL;
                                }
                            }
                            : (base, lanes) -> {
                                for (int l = 0; l < lanes; l++) {
                                    ly[l] = x[l] & 0xFFFF_FFFFL;
                                }
                            };
                });
                default -> toBool(from, to, out, a);
            };
            case I64, U64 -> switch (to) {
                case I32, U32 -> Step.of(f -> {
                    long[] x = f.longs[a];
                    int[] y = f.ints[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = (int) x[l];
                        }
                    };
                });
                default -> toBool(from, to, out, a);
            };
            case BOOL -> switch (to) {
                case F32 -> Step.of(f -> {
                    byte[] x = f.bools[a];
                    float[] y = f.floats[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                case I32, U32 -> Step.of(f -> {
                    byte[] x = f.bools[a];
                    int[] y = f.ints[out];
                    return (base, lanes) -> {
                        for (int l = 0; l < lanes; l++) {
                            y[l] = x[l];
                        }
                    };
                });
                default -> null;
            };
        };
    }

    private static Step toBool(DType from, DType to, int out, int a) {
        if (to != DType.BOOL) {
            return null;
        }
        return RegisterClass.of(from) == RegisterClass.INT ? Step.of(f -> {
            int[] x = f.ints[a];
            byte[] y = f.bools[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = (byte) (x[l] != 0 ? 1 : 0);
                }
            };
        }) : Step.of(f -> {
            long[] x = f.longs[a];
            byte[] y = f.bools[out];
            return (base, lanes) -> {
                for (int l = 0; l < lanes; l++) {
                    y[l] = (byte) (x[l] != 0 ? 1 : 0);
                }
            };
        });
    }

    /** Reinterpretation between types of one width. */
    static Step bitcast(DType from, DType to, int out, int a) {
        if (RegisterClass.of(from) == RegisterClass.of(to)) {
            return copy(to, out, a);
        }
        return switch (RegisterClass.of(from)) {
            case FLOAT -> Step.of(f -> {
                float[] x = f.floats[a];
                int[] y = f.ints[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Float.floatToRawIntBits(x[l]);
                    }
                };
            });
            case INT -> to != DType.F32 ? null : Step.of(f -> {
                int[] x = f.ints[a];
                float[] y = f.floats[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Float.intBitsToFloat(x[l]);
                    }
                };
            });
            case DOUBLE -> Step.of(f -> {
                double[] x = f.doubles[a];
                long[] y = f.longs[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Double.doubleToRawLongBits(x[l]);
                    }
                };
            });
            case LONG -> to != DType.F64 ? null : Step.of(f -> {
                long[] x = f.longs[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> {
                    for (int l = 0; l < lanes; l++) {
                        y[l] = Double.longBitsToDouble(x[l]);
                    }
                };
            });
            default -> null;
        };
    }

    /** A register copy within one class (the bits are the value in both types). */
    static Step copy(DType type, int out, int a) {
        return switch (RegisterClass.of(type)) {
            case FLOAT -> Step.of(f -> {
                float[] x = f.floats[a];
                float[] y = f.floats[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
            case DOUBLE -> Step.of(f -> {
                double[] x = f.doubles[a];
                double[] y = f.doubles[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
            case INT -> Step.of(f -> {
                int[] x = f.ints[a];
                int[] y = f.ints[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
            case LONG -> Step.of(f -> {
                long[] x = f.longs[a];
                long[] y = f.longs[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
            case BOOL -> Step.of(f -> {
                byte[] x = f.bools[a];
                byte[] y = f.bools[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
            case HALF -> Step.of(f -> {
                short[] x = f.halves[a];
                short[] y = f.halves[out];
                return (base, lanes) -> System.arraycopy(x, 0, y, 0, lanes);
            });
        };
    }
}
