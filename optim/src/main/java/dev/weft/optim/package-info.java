/**
 * Optimizers, loss scaling for mixed precision and learning-rate schedules
 * (API.md "Signatures (dev.weft.optim)", reference-semantics.md §5).
 *
 * <p>{@link dev.weft.optim.Optimizer} and its rules ({@link dev.weft.optim.SGD},
 * {@link dev.weft.optim.RMSProp}, {@link dev.weft.optim.Adam}, {@link dev.weft.optim.AdamW},
 * {@link dev.weft.optim.Muon}), {@link dev.weft.optim.GradScaler}, {@link dev.weft.optim.LrSchedule}.
 *
 * <p>Data flow: an optimizer pulls parameters from any core {@code Parameterized} (a layer, an
 * encoding) into masters it owns (F16 promoted to F32), held with their moments in
 * {@code Parameter} cells; the forward pass reads {@code get(key)} (cast back, tracking
 * gradients), {@code backward()} accumulates into the masters' gradients, and {@code step()}
 * traces each parameter's update as one lazy expression, with learning rates and bias
 * corrections as opaque scalars, and schedules it. The next evaluation, usually the forward
 * pass's read of the new weights ({@code layer.update(optimizer)}), runs the update and the cast
 * in one kernel over the P parameters (the scheduler forwards the stored values). State goes to
 * and from disk as safetensors ({@code dev.weft.io.Safetensors}). Never imports
 * {@code dev.weft.nn}, never names a backend, uses only the core's exported API.
 */
package dev.weft.optim;
