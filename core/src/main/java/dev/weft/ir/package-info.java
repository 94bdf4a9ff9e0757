/**
 * The IR: values over a domain of lanes, built by {@link dev.weft.ir.Tracer} from the tensor
 * layer ({@code dev.weft}).
 *
 * <p>{@link dev.weft.ir.Op} is the closed taxonomy of operations; {@link dev.weft.ir.Node} an
 * interned, immutable value; {@link dev.weft.ir.ScalarOps} the scalar meaning of every op (the
 * definition shared by the reference interpreter and constant folding);
 * {@link dev.weft.ir.MathLowering} the polynomials that replace transcendentals so that every
 * backend computes them bit for bit alike. Nodes go next to the scheduler
 * ({@code dev.weft.schedule}), which lowers and linearizes them into kernels.
 */
package dev.weft.ir;
