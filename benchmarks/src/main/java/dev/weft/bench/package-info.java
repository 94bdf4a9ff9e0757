/**
 * Benchmarks (not yet written: this module is a placeholder until the benchmarks work).
 *
 * <p>What will live here: JMH benchmarks of kernels, layers and training steps, and the
 * side-by-side harness that {@code weft bench} launches (Weft on each backend against the
 * reference system), writing its measurements as a report.
 *
 * <p>Data flow: programs built with the public API ({@code dev.weft}, {@code dev.weft.nn},
 * {@code dev.weft.optim}) run on the backends found at run time; inputs are generated in code or
 * read from {@code ../shared/data}; timings go to the console and to report files. Speed is
 * measured here, never asserted by tests.
 */
package dev.weft.bench;
