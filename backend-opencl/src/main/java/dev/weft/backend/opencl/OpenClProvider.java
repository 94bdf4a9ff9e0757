package dev.weft.backend.opencl;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;

/**
 * A placeholder for the "opencl" provider: registered so that {@code weft doctor} lists it with
 * the reason it cannot run yet. It reports itself unavailable until a later issue fills this module.
 */
public final class OpenClProvider implements BackendProvider {
    private static final String REASON =
            "The OpenCL backend is not implemented yet (a later issue); Weft runs on the reference backend meanwhile";

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        // an OpenCL GPU; the real provider ranks a CPU device (PoCL) at 150, below the cpu backend
        return 300;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend open(int index) {
        throw new BackendUnavailableException("opencl:" + index + ": " + REASON);
    }
}
