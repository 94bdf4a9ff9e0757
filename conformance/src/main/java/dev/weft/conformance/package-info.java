/**
 * The backend conformance suite (not yet written: it arrives with issue 3).
 *
 * <p>What will live here: test cases as data (every op and dtype, broadcasting, edge sizes,
 * gathers and scatters, reductions, {@code matvec}, Rng streams, textures, gradients, nn layers
 * and optimizer steps), a JUnit adapter that each backend module runs on itself in its tests,
 * and a {@code main()} that runs the suite on a named device (used by {@code weft gpu-check}).
 *
 * <p>Data flow: a case builds a program with the public API ({@code dev.weft}, {@code dev.weft.nn},
 * {@code dev.weft.optim}), evaluates it on the device under test and compares with expected
 * values computed independently (double precision, hand-computed numbers), never with the
 * reference interpreter's own output; results go to JUnit or to a text report.
 */
package dev.weft.conformance;
