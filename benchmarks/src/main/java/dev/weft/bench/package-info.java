/**
 * JMH benchmarks of the backends, reached only through the Backend SPI ({@code Device.of(name)
 * .backend()}): data comes from buffers filled here, results are timings that JMH prints and
 * {@code benchmarks/README.md} turns into GFLOP/s. {@link dev.weft.bench.BenchMain} runs them.
 */
package dev.weft.bench;
