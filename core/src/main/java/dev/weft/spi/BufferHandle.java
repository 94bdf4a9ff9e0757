package dev.weft.spi;

import dev.weft.DType;

/**
 * Device memory owned by a {@link Backend}: {@code count} elements of {@code dtype}. Backends
 * implement it with whatever they need (a Java array, a {@code cl_mem}, a {@code CUdeviceptr});
 * the core never looks inside.
 */
public interface BufferHandle {
    DType dtype();

    /** Capacity in elements (at least what was asked of {@link Backend#alloc}). */
    long count();
}
