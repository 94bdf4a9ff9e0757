/**
 * The scheduler: takes pending side effects (stores of evaluated tensors, scatters, lane
 * reductions, matrix products) recorded by the tensor layer, orders them in waves so writers run
 * before readers, groups each wave by device and domain size, lowers the nodes
 * ({@code Lowering}: F16 arithmetic to F32, transcendentals to polynomials), linearizes each
 * group into one {@link dev.weft.spi.Kernel} ({@code KernelBuilder}: values numbered by
 * structure, buffers as slots, opaque scalars and launch values as parameters) and hands it to
 * the device's {@link dev.weft.spi.Backend}, compiling each distinct kernel once (the kernel's
 * hash is computed when it is built; a lookup compares it first). After an evaluation the
 * thread's trace starts over ({@code Tracer.newTrace}).
 */
package dev.weft.schedule;
