/**
 * Weft's JMH benchmarks ({@code BenchMain}), written against the public API and the Backend SPI.
 * {@code ./weft bench} runs them on the class path, as JMH expects; this descriptor keeps the
 * benchmarks to what the core exports.
 */
@SuppressWarnings("requires-automatic") // JMH ships no module descriptor
module dev.weft.bench {
    requires dev.weft;
    requires dev.weft.optim;
    requires jmh.core;
    requires java.management; // the calling thread's CPU time in CoopVecStep.main
}
