package dev.weft.ir;

/**
 * Where a matrix lies in a flat buffer and how a cooperative-vector op reads it: {@code rows x
 * cols} elements, element {@code (i, j)} at {@code offset + i * stride + j}. With {@code
 * transpose} the op uses the transposed matrix (so its output length is {@code cols} and its
 * input length {@code rows}).
 *
 * @param rows rows of the stored matrix
 * @param cols columns of the stored matrix
 * @param offset element offset of {@code (0, 0)} in the buffer
 * @param stride elements between the starts of two rows ({@code >= cols})
 * @param transpose whether the op uses the transposed matrix
 */
public record MatrixAccess(int rows, int cols, long offset, long stride, boolean transpose) {
    public MatrixAccess {
        if (rows <= 0 || cols <= 0 || offset < 0 || stride < cols) {
            throw new AssertionError("MatrixAccess: rows " + rows + ", cols " + cols + ", offset " + offset
                    + ", stride " + stride);
        }
    }

    /** Length of the op's output vector: rows of the matrix as used. */
    public int outputLength() {
        return transpose ? cols : rows;
    }

    /** Length of the op's input vector: columns of the matrix as used. */
    public int inputLength() {
        return transpose ? rows : cols;
    }

    /** Buffer position of the element at row {@code r}, column {@code c} of the matrix as used. */
    public long index(int r, int c) {
        return transpose ? offset + (long) c * stride + r : offset + (long) r * stride + c;
    }

    /** One past the last element read. */
    public long end() {
        return offset + (long) (rows - 1) * stride + cols;
    }
}
