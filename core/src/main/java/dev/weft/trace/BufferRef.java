package dev.weft.trace;

import dev.weft.DType;

/**
 * What the IR knows of a device buffer: its element type and length. The memory layer's
 * {@code dev.weft.memory.Buffer} implements it; the IR only keeps it by identity.
 */
public interface BufferRef {
    DType dtype();

    /** Length in elements. */
    long length();
}
