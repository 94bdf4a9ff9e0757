/**
 * Weft's core: tensors, autodiff, the tracer, the scheduler, the Backend SPI and the reference
 * backend.
 *
 * <p>Exported to everyone: the user API ({@code dev.weft}, {@code dev.weft.io}) and the Backend
 * SPI ({@code dev.weft.spi}, with the IR vocabulary a {@link dev.weft.spi.Kernel} names:
 * {@code dev.weft.ir}), since backends outside this project are the point of pluggable devices.
 * Tracing ({@code dev.weft.trace}), scheduling ({@code dev.weft.schedule}), memory
 * ({@code dev.weft.memory}) and the reference interpreter ({@code dev.weft.backend.reference},
 * reached as {@code Device.of("reference")}) are internal: no other module, of this project or
 * outside it, compiles against them.
 */
module dev.weft {
    requires com.google.common;
    // the safetensors header (dev.weft.io.Safetensors), through the streaming API only
    requires com.fasterxml.jackson.core;
    // Images only; a runtime without java.desktop (a jlinked GPU bundle) still starts
    requires static java.desktop;

    exports dev.weft;
    exports dev.weft.io;
    exports dev.weft.spi;
    exports dev.weft.ir;

    uses dev.weft.spi.BackendProvider;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.reference.ReferenceProvider;
}
