package dev.weft.backend.reference;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;

/** The reference backend's provider: always available, lowest priority. */
public final class ReferenceProvider implements BackendProvider {
    /** The device name of the reference backend. */
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.available("scalar interpreter of the IR, in Java (slow; defines the numbers)");
    }

    @Override
    public Backend open(int index) {
        if (index != 0) {
            throw new BackendUnavailableException("reference backend has one device, reference:0; there is no reference:"
                    + index);
        }
        return new ReferenceBackend(ReferenceBackend.configuredMemoryLimit());
    }
}
