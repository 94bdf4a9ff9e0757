package dev.weft.backend.cpu;

import jdk.incubator.vector.FloatVector;

/** What the Vector API offers on this machine; loaded only once the module is known present. */
final class VectorInfo {
    private VectorInfo() {}

    static String shape() {
        var s = FloatVector.SPECIES_PREFERRED;
        return s.vectorBitSize() + "-bit vectors (" + s.length() + " float lanes)";
    }
}
