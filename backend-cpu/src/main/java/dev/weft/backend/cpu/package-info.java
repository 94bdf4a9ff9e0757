/**
 * The CPU backend. For now only {@link dev.weft.backend.cpu.CpuProvider}, a placeholder that
 * reports itself unavailable until issue 4 fills this package.
 *
 * <p>What will live here: a {@code Backend} that runs each fused kernel over chunks of 256..512
 * lanes, each op a Vector API loop over the chunk, chunks spread over a worker pool; a blocked,
 * multi-threaded {@code gemm}; perhaps kernels compiled to bytecode (DESIGN.md "The backends").
 *
 * <p>Data flow: kernels come from the core's scheduler through the SPI ({@code dev.weft.spi}),
 * already lowered to what this backend declares; buffers live in host memory; results go back
 * to the core through {@code copyOut}.
 */
package dev.weft.backend.cpu;
