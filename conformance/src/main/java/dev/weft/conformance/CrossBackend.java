package dev.weft.conformance;

import dev.weft.Device;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.function.Supplier;

/**
 * The cross-backend hook: for result classes that must be identical on every backend
 * ({@link ResultClass#identicalAcrossBackends()}), runs the same program on the reference
 * backend and compares bit for bit. On the reference backend itself there is nothing to compare
 * with, and the check passes without running anything.
 */
public final class CrossBackend {
    /** The name of the backend that defines the numbers. */
    public static final String REFERENCE = "reference";

    private CrossBackend() {}

    /** Whether {@code device} is the reference backend (then there is no cross-backend check). */
    public static boolean isReference(Device device) {
        return REFERENCE.equals(device.name());
    }

    /**
     * PASSED if {@code device} is the reference backend or if {@code program}, run on the
     * reference backend, gives the bits of {@code actual}; FAILED with the differences otherwise.
     */
    @SuppressWarnings("try") // the scopes are held for their effect, not referenced
    public static Outcome identical(Device device, Supplier<Tensor> program, Values actual) {
        if (isReference(device)) {
            return Outcome.passed();
        }
        Values reference;
        try (var d = Weft.device(Device.of(REFERENCE)); var s = Weft.scope()) {
            reference = DeviceIo.read(program.get());
        }
        return new Expected.Exact(reference).compare(actual)
                .withContext("not identical to the reference backend (expected = reference, actual = " + device + "):");
    }
}
