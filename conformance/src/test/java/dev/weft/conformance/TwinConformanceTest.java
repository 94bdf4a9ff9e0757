package dev.weft.conformance;

import dev.weft.Device;

/**
 * The suite as a backend module runs it: on a device that is not the reference backend ("twin",
 * see {@link TwinProvider}), so every bit-exact and polynomial case is also compared with the
 * reference backend.
 */
class TwinConformanceTest extends ConformanceSuite {
    @Override
    protected Device device() {
        return Device.of("twin");
    }
}
