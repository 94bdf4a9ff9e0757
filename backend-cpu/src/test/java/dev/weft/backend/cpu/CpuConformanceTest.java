package dev.weft.backend.cpu;

import dev.weft.Device;
import dev.weft.conformance.ConformanceSuite;

/** The whole conformance suite on the CPU backend: bit-exact where DESIGN.md says so. */
class CpuConformanceTest extends ConformanceSuite {
    @Override
    protected Device device() {
        return Device.of("cpu");
    }
}
