/**
 * Neural-network layers (not yet written: this module is a placeholder until the nn issue).
 *
 * <p>What will live here: {@code Layer} and {@code Sequential}, {@code Linear}, the activations
 * ({@code ReLU}, {@code LeakyReLU}, {@code Exp}, {@code Tanh}, ...), {@code Cast},
 * {@code ScaleAdd}, the encodings ({@code SinEncode}, {@code TriEncode}, {@code HashGridEncoding},
 * {@code PermutoEncoding}), {@code Nn.pack} / {@code Nn.unpack} and the losses
 * (API.md "Signatures (dev.weft.nn)", reference-semantics.md).
 *
 * <p>Data flow: a layer takes a {@code Tensor} {@code [C, N]} (tensor mode) or a {@code CoopVec}
 * (cooperative-vector mode) from user code and returns one traced into the core's IR; nothing
 * runs here. Weights live in core {@code Parameter} cells; optimizers ({@code dev.weft.optim})
 * reach them only through {@code Parameterized}, so this package never imports optim and never
 * names a backend. Tests run on the reference backend only; what must hold on every backend
 * becomes a case in {@code dev.weft.conformance}.
 */
package dev.weft.nn;
