package dev.weft.backend.reference;

import dev.weft.spi.Kernel;
import dev.weft.spi.Program;

/** A kernel checked and ready for {@link ReferenceInterpreter}; nothing is generated. */
record ReferenceProgram(Kernel kernel) implements Program {}
