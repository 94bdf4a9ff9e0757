/**
 * The vocabulary of kernels, exported with the SPI: {@link dev.weft.ir.Op} (the closed taxonomy
 * of operations), {@link dev.weft.ir.MatrixAccess} (the matrix geometry of cooperative-vector
 * ops) and {@link dev.weft.ir.ScalarOps} (the scalar meaning of every op on every type: the
 * definition the reference interpreter and constant folding share, and every backend matches).
 *
 * <p>These are the types a {@link dev.weft.spi.Kernel} names, so a backend outside this project
 * can read one. How the graph is built (nodes, interning, folding, the polynomials behind
 * transcendentals) is internal to the core: {@code dev.weft.trace}, not exported.
 */
package dev.weft.ir;
