/**
 * Tracing, internal to the core (not exported by the module): the IR graph that tensor
 * operations build before anything runs.
 *
 * <p>{@link dev.weft.trace.Tracer} makes {@link dev.weft.trace.Node}s for the tensor layer
 * ({@code dev.weft}): it checks operand types, folds constants with
 * {@link dev.weft.ir.ScalarOps} and interns each node per thread and trace
 * (common-subexpression elimination; a trace ends at each evaluation). A node refers to memory through a {@link dev.weft.trace.BufferRef} (the memory
 * layer's buffers) and to launch parameters through {@link dev.weft.trace.OpaqueScalar}.
 * {@link dev.weft.trace.MathLowering} writes each transcendental once, against
 * {@link dev.weft.trace.MathBuilder}: {@link dev.weft.trace.NodeMath} turns it into nodes for
 * kernels, and {@code ScalarOps} evaluates it on host scalars, so both agree bit for bit. Nodes go
 * next to the scheduler ({@code dev.weft.schedule}), which lowers and linearizes them into
 * {@link dev.weft.spi.Kernel}s.
 */
package dev.weft.trace;
