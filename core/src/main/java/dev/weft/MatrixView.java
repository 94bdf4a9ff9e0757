package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * A matrix inside a flat buffer, as cooperative-vector {@link CoopVec#matvec} reads it: {@code
 * rows x cols} elements, element {@code (i, j)} at {@code offset + i * stride + j} of the
 * buffer's flat (row-major) order. No data is copied: the view holds the {@link Parameter} cell
 * of its buffer, so swapping the cell's value (an optimizer step) is seen by every view into it,
 * and gradients of a matvec accumulate into the gradient of whatever tensor the cell holds.
 *
 * {@snippet :
 * Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
 * MatrixView a = MatrixView.of(w);                         // 2 x 3, row-major, offset 0
 * CoopVec y = CoopVec.ofComponents(x0, x1, x2).matvec(a, false);   // length 2
 * }
 *
 * <p>Vectors (a bias) are matrices of one column. {@link #t()} flips the transposition flag; the
 * layout is a label (reference-semantics.md §3.3: on CPU all layouts are dense row-major).
 */
public final class MatrixView {
    private final Parameter cell;
    private final int rows;
    private final int cols;
    private final long offset;
    private final long stride;
    private final Layout layout;
    private final boolean transposed;

    private MatrixView(Parameter cell, int rows, int cols, long offset, long stride, Layout layout, boolean transposed) {
        this.cell = cell;
        this.rows = rows;
        this.cols = cols;
        this.offset = offset;
        this.stride = stride;
        this.layout = layout;
        this.transposed = transposed;
    }

    /**
     * A row-major view of a 2-D tensor ({@code rows x cols}) or of a 1-D tensor (a vector: {@code
     * n x 1}), without copying.
     *
     * @throws IllegalArgumentException for another rank, an empty tensor or a non-float dtype
     */
    public static MatrixView of(Tensor t) {
        Objects.requireNonNull(t, "MatrixView.of(): tensor");
        t.value.checkUsable("MatrixView.of()");
        long[] s = t.value.shape;
        checkArgument(s.length == 1 || s.length == 2, "MatrixView.of(): the tensor has shape %s; a view needs a "
                + "1-D or 2-D tensor (reshape it first)", Shapes.str(s));
        checkArgument(t.numel() > 0, "MatrixView.of(): the tensor (shape %s) is empty", Shapes.str(s));
        checkArgument(t.dtype().isFloat(), "MatrixView.of(): a %s tensor; matrices hold F16, F32 or F64 values",
                t.dtype());
        int r = Math.toIntExact(s[0]);
        int c = s.length == 2 ? Math.toIntExact(s[1]) : 1;
        return new MatrixView(new Parameter(t), r, c, 0, c, Layout.ROW_MAJOR, false);
    }

    /**
     * A view into the tensor held by {@code buffer} (flat order): what packing a network
     * creates, one view per weight matrix and bias over one shared cell.
     *
     * @throws IllegalArgumentException if the view reaches past the buffer or the geometry is invalid
     */
    public static MatrixView of(Parameter buffer, int rows, int cols, long offset, long stride, Layout layout) {
        Objects.requireNonNull(buffer, "MatrixView.of(): buffer");
        Objects.requireNonNull(layout, "MatrixView.of(): layout");
        checkArgument(rows > 0 && cols > 0, "MatrixView.of(): %s x %s; a view needs at least one row and column",
                rows, cols);
        checkArgument(offset >= 0 && stride >= cols, "MatrixView.of(): offset %s and stride %s for %s columns; "
                + "the offset must be >= 0 and the stride >= the columns", offset, stride, cols);
        long end = offset + (rows - 1L) * stride + cols;
        long n = buffer.get().numel();
        checkArgument(end <= n, "MatrixView.of(): a %s x %s view at offset %s with stride %s ends at element %s, "
                + "past the buffer's %s elements", rows, cols, offset, stride, end, n);
        checkArgument(buffer.dtype().isFloat(), "MatrixView.of(): a %s buffer; matrices hold float values",
                buffer.dtype());
        return new MatrixView(buffer, rows, cols, offset, stride, layout, false);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Elements from the start of the buffer to element (0, 0). */
    public long offset() {
        return offset;
    }

    /** Elements between the starts of two rows. */
    public long stride() {
        return stride;
    }

    /** Elements spanned from the first to the last element of the view. */
    public long size() {
        return (rows - 1L) * stride + cols;
    }

    public Layout layout() {
        return layout;
    }

    /** Whether {@code matvec} uses the transposed matrix. */
    public boolean transposed() {
        return transposed;
    }

    /** The tensor the view reads (the cell's current value). */
    public Tensor buffer() {
        return cell.get();
    }

    /** The cell holding the buffer, shared by every view packed into it. */
    public Parameter cell() {
        return cell;
    }

    public DType dtype() {
        return cell.dtype();
    }

    /** The same matrix with the transposition flag flipped (same buffer). */
    public MatrixView t() {
        return new MatrixView(cell, rows, cols, offset, stride, layout, !transposed);
    }

    /**
     * The same geometry over the buffer's gradient, or null when the buffer has none yet (the
     * reference's {@code view.grad}).
     */
    public MatrixView grad() {
        Tensor g = cell.get().grad();
        return g == null ? null : new MatrixView(new Parameter(g), rows, cols, offset, stride, layout, transposed);
    }

    /** The view's elements as a {@code [rows, cols]} tensor (a copy; transposition not applied). */
    public Tensor toTensor() {
        Tensor flat = cell.get().reshape(-1);
        Tensor r = Tensor.arange(DType.I32, rows).mul(Math.toIntExact(stride)).add(Math.toIntExact(offset));
        Tensor index = r.reshape(rows, 1).add(Tensor.arange(DType.I32, cols));
        return flat.gather(index.reshape(-1)).reshape(rows, cols);
    }

    /** As the reference prints a view (reference-semantics.md §3.1, with the commas it misses). */
    @Override
    public String toString() {
        return "MatrixView[\n    dtype=" + dtype() + ",\n    layout=\"" + layout.name().toLowerCase(java.util.Locale.ROOT)
                + "\",\n    shape=(" + rows + ", " + cols + "),\n    stride=" + stride + ",\n    offset=" + offset
                + ",\n    size=" + size() + ",\n    transposed=" + transposed + "\n]";
    }
}
