package dev.weft.backend.cpu;

import dev.weft.BackendUnavailableException;
import dev.weft.Config;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import java.util.Locale;

/**
 * The "cpu" provider (priority 200): available wherever the JVM was started with
 * {@code --add-modules jdk.incubator.vector}. Without it, {@link #probe()} says so and how to
 * fix it; no class that names the Vector API is loaded before the probe has succeeded
 * ({@link VectorInfo} and everything behind {@link CpuBackend}).
 *
 * <p>{@code weft.threads} (system property or {@code WEFT_THREADS}) sets the worker count;
 * default all cores.
 */
public final class CpuProvider implements BackendProvider {
    private static final String MODULE = "jdk.incubator.vector";

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
        try {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return Availability.unavailable("the Vector API module is not loaded: start the JVM with "
                        + "--add-modules " + MODULE + " (./weft and this project's tests do; on the module path "
                        + "this backend's module loads it by itself)");
            }
            return Availability.available(describe(threads()));
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("the Vector API cannot be used here (" + e + "); start the JVM with "
                    + "--add-modules " + MODULE + " on a JDK 25 or newer");
        }
    }

    @Override
    public Backend open(int index) {
        if (index != 0) {
            throw new BackendUnavailableException("cpu has one device, cpu:0 (it uses all cores); there is no cpu:" + index);
        }
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("cpu:0: " + a.reason());
        }
        return new CpuBackend(threads());
    }

    /** {@code weft.threads}, default the number of cores. */
    static int threads() {
        String v = Config.get("weft.threads", "");
        if (v.isEmpty()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v);
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("weft.threads must be a positive number of threads, not '" + v + "'");
    }

    /** "Vector API, 512-bit vectors (16 float lanes), 2 threads". */
    static String describe(int threads) {
        return String.format(Locale.ROOT, "Vector API, %s, %d thread%s", VectorInfo.shape(), threads,
                threads == 1 ? "" : "s");
    }
}
