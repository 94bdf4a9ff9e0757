package dev.weft.conformance;

import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;

/**
 * Test only: the reference interpreter under another name ("twin"), so that this module's own
 * build runs the suite the way a real backend module does, cross-backend comparison included.
 */
public final class TwinProvider implements BackendProvider {
    @Override
    public String name() {
        return "twin";
    }

    @Override
    public int priority() {
        return 1; // never the default
    }

    @Override
    public Availability probe() {
        return Availability.available("the reference interpreter under another name (conformance tests only)");
    }

    @Override
    public Backend open(int index) {
        return new ReferenceProvider().open(index);
    }
}
