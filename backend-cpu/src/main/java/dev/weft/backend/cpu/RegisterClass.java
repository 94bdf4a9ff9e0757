package dev.weft.backend.cpu;

import dev.weft.DType;

/**
 * The Java array type that holds a chunk of lanes of a value: one register file per class in
 * each {@link Frame}. Unsigned types share the arrays of their signed width (the bits are the
 * same; ops that differ read the {@link DType}).
 */
enum RegisterClass {
    /** {@code float[]}: F32. */
    FLOAT,
    /** {@code double[]}: F64. */
    DOUBLE,
    /** {@code int[]}: I32 and U32. */
    INT,
    /** {@code long[]}: I64 and U64. */
    LONG,
    /** {@code byte[]}: BOOL, 0 or 1. */
    BOOL,
    /** {@code short[]}: F16 as half bits (a storage type: never in arithmetic). */
    HALF;

    static RegisterClass of(DType type) {
        return switch (type) {
            case F32 -> FLOAT;
            case F64 -> DOUBLE;
            case I32, U32 -> INT;
            case I64, U64 -> LONG;
            case BOOL -> BOOL;
            case F16 -> HALF;
        };
    }
}
