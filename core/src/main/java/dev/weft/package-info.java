/**
 * Weft's user API: {@link dev.weft.Tensor} (lazy n-dimensional arrays), {@link dev.weft.Device},
 * {@link dev.weft.DType}, {@link dev.weft.Parameter} and {@link dev.weft.Weft} (evaluation,
 * scopes, statistics, the backend report).
 *
 * <p>Data comes from the user (arrays, images through {@code dev.weft.io}) or from creation
 * functions; each operation records IR nodes ({@code dev.weft.ir}); reading a value hands the
 * pending work to the scheduler ({@code dev.weft.schedule}), which fuses it into kernels for the
 * device's backend ({@code dev.weft.spi}). Null arguments throw {@link NullPointerException};
 * every other caller error is an {@link IllegalArgumentException} or
 * {@link IllegalStateException} naming the operation, the values and the fix.
 */
package dev.weft;
