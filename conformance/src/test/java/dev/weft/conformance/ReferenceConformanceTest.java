package dev.weft.conformance;

import dev.weft.Device;

/** The conformance suite on the reference backend, whose expected values all come from the host. */
class ReferenceConformanceTest extends ConformanceSuite {
    @Override
    protected Device device() {
        return Device.of("reference");
    }
}
