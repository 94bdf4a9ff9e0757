/**
 * Optimizers (not yet written: this module is a placeholder until the optim issue).
 *
 * <p>What will live here: {@code Optimizer} and its subclasses ({@code SGD}, {@code RMSProp},
 * {@code Adam}, {@code AdamW}, {@code Muon}), {@code GradScaler} and {@code LrSchedule}
 * (API.md "Signatures (dev.weft.optim)", reference-semantics.md §5).
 *
 * <p>Data flow: an optimizer pulls parameters from any core {@code Parameterized} (a layer, an
 * encoding) into F32 masters it owns, reads the gradients that {@code backward()} accumulated,
 * and traces its update as one kernel over the P parameters, with learning-rate factors and
 * bias corrections as opaque scalars so that later steps compile nothing new. The updated values
 * go back into the network through {@code layer.update(optimizer)}. Never imports
 * {@code dev.weft.nn}, never names a backend.
 */
package dev.weft.optim;
