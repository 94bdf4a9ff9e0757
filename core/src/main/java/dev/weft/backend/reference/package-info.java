/**
 * The reference backend: heap buffers and a scalar interpreter of {@link dev.weft.spi.Kernel}s
 * built on {@link dev.weft.ir.ScalarOps}. Slow and obviously correct, it runs every program end
 * to end and defines the numbers every other backend must reproduce. It declares no native
 * transcendentals, so it runs the core's polynomials like every other backend.
 */
package dev.weft.backend.reference;
