package dev.weft.trace;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;

/**
 * The value behind a {@link Op#PARAM} node: passed to the kernel at launch, so a new value
 * compiles nothing new. Each instance is its own parameter (no two are merged).
 *
 * @param type the parameter's type
 * @param bits its canonical bits (see {@link ScalarOps})
 */
public record OpaqueScalar(DType type, long bits) {
    @Override
    public boolean equals(Object o) {
        return this == o; // identity: two parameters with equal values stay two parameters
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
