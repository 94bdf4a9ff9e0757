/**
 * The Backend SPI: what a device implements so that Weft can run on it. Frozen with the core.
 *
 * <p>{@link dev.weft.spi.BackendProvider} is found with {@link java.util.ServiceLoader} and
 * opens a {@link dev.weft.spi.Backend}; the scheduler hands it {@link dev.weft.spi.Kernel}s
 * (linear SSA programs over N lanes) to compile into {@link dev.weft.spi.Program}s and launch
 * over {@link dev.weft.spi.BufferHandle}s with launch parameters. Backends are mechanical: they
 * render or interpret kernels; scheduling, fusion and lowering happen before them.
 */
package dev.weft.spi;
