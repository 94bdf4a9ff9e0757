/**
 * The {@code weft} command line ({@link dev.weft.examples.WeftCommand}), run by {@code ./weft}
 * at the repository root, or by {@code .gpu/run.sh} on a GPU machine.
 *
 * <p>Commands: {@code doctor} (the backends, the default and why, and a tiny kernel on each
 * available one); {@code fit} (the reference neural-field example, arriving with the nn work);
 * {@code gpu-check} ({@link dev.weft.examples.GpuCheck}, GPU.md: stages run as processes of their
 * own, each with a time limit, into a text report; {@code src/main/sh/gpu-check-device.sh} runs it
 * on a GPU machine from the bundle). {@code ./weft test} and {@code ./weft bench} are handled by the
 * launcher script itself.
 *
 * <p>Data flow: everything here uses the public API only; backends are runtime dependencies,
 * found through {@code ServiceLoader}, never named in code (the GPU check names the CUDA
 * runtime's self-check and the conformance runner only as main classes of its stages). Output goes to the console (and, for
 * {@code fit} and {@code gpu-check}, to report files). Code on the {@code gpu-check} path must
 * not need {@code java.desktop} (ImageIO), which the GPU bundle leaves out.
 */
package dev.weft.examples;
