/**
 * The OpenCL backend. For now only {@link dev.weft.backend.opencl.OpenClProvider}, a placeholder
 * that reports itself unavailable until a later issue fills this package.
 *
 * <p>What will live here: an OpenCL C dialect (mostly data) on the core's C-style renderer, and
 * a JOCL runtime that builds (and caches) programs and launches one work-item per lane. PoCL
 * runs it in CI.
 *
 * <p>Data flow: kernels come from the core's scheduler through the SPI ({@code dev.weft.spi});
 * they are rendered to OpenCL C here, built by the driver and launched on device buffers;
 * results go back to the core through {@code copyOut}.
 */
package dev.weft.backend.opencl;
