package dev.weft;

/**
 * Element types of tensors and IR values.
 *
 * <p>{@link #F16} is a storage type: element-wise F16 operations compute in F32 and round once
 * per operation (round to nearest even); see DESIGN.md "Numbers". {@link #BOOL} occupies one
 * byte in memory (0 or 1).
 */
public enum DType {
    F16(2, Kind.FLOAT),
    F32(4, Kind.FLOAT),
    F64(8, Kind.FLOAT),
    I32(4, Kind.SIGNED),
    U32(4, Kind.UNSIGNED),
    I64(8, Kind.SIGNED),
    U64(8, Kind.UNSIGNED),
    BOOL(1, Kind.BOOL);

    /** The family a type belongs to; promotion and op validity are decided by it. */
    public enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL }

    private final int bytes;
    private final Kind kind;

    DType(int bytes, Kind kind) {
        this.bytes = bytes;
        this.kind = kind;
    }

    /** Size of one element in memory, in bytes. */
    public int bytes() {
        return bytes;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFloat() {
        return kind == Kind.FLOAT;
    }

    /** Signed or unsigned integer (not {@link #BOOL}). */
    public boolean isInteger() {
        return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
    }

    public boolean isUnsigned() {
        return kind == Kind.UNSIGNED;
    }

    /** Width in bits of the value (BOOL counts as 1). */
    public int bits() {
        return this == BOOL ? 1 : bytes * 8;
    }
}
