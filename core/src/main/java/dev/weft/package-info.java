/**
 * Weft's user API: {@link dev.weft.Tensor} (lazy n-dimensional arrays), {@link dev.weft.Device},
 * {@link dev.weft.DType}, {@link dev.weft.Parameter} and {@link dev.weft.Weft} (evaluation,
 * scopes, statistics, the backend report); {@link dev.weft.CoopVec} and {@link
 * dev.weft.MatrixView} (per-lane vectors and the matrices they multiply), {@link dev.weft.Rng} and
 * {@link dev.weft.Texture2}.
 *
 * <p>{@code Tensor} is a façade: what a tensor is (shape, dtype, device, its traced nodes or its
 * buffer, its scope) is the package-private {@code TensorValue} it fronts, which the operations
 * here ({@code Elementwise}, {@code Views}, {@code Reductions}, ...) read and build. A {@code
 * CoopVec} is a {@code [L, W]} tensor in vector form (one vector node of length L), so every
 * CoopVec operation and its derivative are one node and one autodiff vertex, with the same rules
 * ({@code Derivatives}) as tensors; {@code CoopMatvec} adds the matrix-vector product.
 *
 * <p>Autodiff lives here too, because it records on tensors: {@code Autodiff} (recording and the
 * gradient API), {@code Derivatives} (one rule per operation), {@code AdNode} (the graph) and
 * {@code Backprop} (the reverse sweep). A backward pass builds its adjoint as lazy tensor
 * operations and side effects (scatter-adds, outer-product accumulations), so it fuses like a
 * forward pass.
 *
 * <p>Data comes from the user (arrays, images through {@code dev.weft.io}) or from creation
 * functions; each operation records IR nodes ({@code dev.weft.trace}); reading a value hands the
 * pending work to the scheduler ({@code dev.weft.schedule}), which fuses it into kernels for the
 * device's backend ({@code dev.weft.spi}). Null arguments throw {@link NullPointerException};
 * every other caller error is an {@link IllegalArgumentException} or
 * {@link IllegalStateException} naming the operation, the values and the fix.
 */
package dev.weft;
