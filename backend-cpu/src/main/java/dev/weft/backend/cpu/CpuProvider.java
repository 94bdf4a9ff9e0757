package dev.weft.backend.cpu;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;

/**
 * A placeholder for the "cpu" provider: registered so that {@code weft doctor} lists it with
 * the reason it cannot run yet. It reports itself unavailable until issue 4 fills this module.
 */
public final class CpuProvider implements BackendProvider {
    private static final String REASON =
            "The CPU backend is not implemented yet (issue 4); Weft runs on the reference backend meanwhile";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend open(int index) {
        throw new BackendUnavailableException("cpu:" + index + ": " + REASON);
    }
}
