package dev.weft.backend.cuda;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;

/**
 * A placeholder for the "cuda" provider: registered so that {@code weft doctor} lists it with
 * the reason it cannot run yet. It reports itself unavailable until a later issue fills this module.
 */
public final class CudaProvider implements BackendProvider {
    private static final String REASON =
            "The CUDA backend is not implemented yet (a later issue); Weft runs on the default device below meanwhile";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 400;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend open(int index) {
        throw new BackendUnavailableException("cuda:" + index + ": " + REASON);
    }
}
