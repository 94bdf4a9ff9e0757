/**
 * The scheduler: takes pending side effects (stores of evaluated tensors, scatters, lane
 * reductions, matrix products) recorded by the tensor layer, orders them in waves so writers run
 * before readers, groups each wave by device and domain size, lowers the nodes
 * ({@code Lowering}: F16 arithmetic to F32, transcendentals to polynomials), linearizes each
 * group into one {@link dev.weft.spi.Kernel} and hands it to the device's
 * {@link dev.weft.spi.Backend}, compiling each distinct kernel once.
 */
package dev.weft.schedule;
