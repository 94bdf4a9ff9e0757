package dev.weft;

import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.spi.Availability;
import dev.weft.spi.BackendProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Discovery and selection of backends: providers from {@link ServiceLoader}, probed once; open
 * devices by name; the process-wide default resolved once (explicit &gt; {@code weft.backend}
 * &gt; {@code WEFT_BACKEND} &gt; priority) and the per-thread stack of {@code Weft.device} scopes.
 */
final class Devices {
    private static Map<String, BackendProvider> providers;
    private static final Map<String, Availability> PROBED = new HashMap<>();
    private static final Map<String, Device> OPEN = new HashMap<>();
    private static Device defaultDevice;
    private static String defaultReason;
    private static boolean warnedAboutFallback;
    private static final ThreadLocal<Deque<Device>> SCOPED = ThreadLocal.withInitial(ArrayDeque::new);

    private Devices() {}

    /**
     * Providers by name, unprobed, in the order of their declared priority (of two providers with
     * one name, the higher wins). Selection and reports use {@link #ranked()}.
     */
    static synchronized Map<String, BackendProvider> providers() {
        if (providers == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class, Devices.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            Map<String, BackendProvider> byName = new LinkedHashMap<>();
            for (BackendProvider p : found) {
                byName.putIfAbsent(p.name(), p);
            }
            providers = byName;
        }
        return providers;
    }

    /**
     * Every provider, highest priority first, each probed before it is ranked: a provider's rank
     * may depend on what its probe found (OpenCL: 300 for a GPU, 150 for a CPU device).
     */
    static synchronized List<BackendProvider> ranked() {
        return rankAfterProbing(providers().values(), p -> availability(p.name()));
    }

    /** Runs {@code probe} on each provider, then orders them by the priority they report (stable for ties). */
    static List<BackendProvider> rankAfterProbing(Collection<BackendProvider> providers, Consumer<BackendProvider> probe) {
        List<BackendProvider> ranked = new ArrayList<>(providers);
        ranked.forEach(probe);
        ranked.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return ranked;
    }

    static synchronized Availability availability(String name) {
        return PROBED.computeIfAbsent(name, n -> {
            try {
                return providers().get(n).probe();
            } catch (RuntimeException | LinkageError e) {
                return Availability.unavailable("probe failed: " + e);
            }
        });
    }

    static synchronized Device open(String name, int index) {
        BackendProvider provider = providers().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("Device.of(\"" + name + "\"): no backend named '" + name + "'; known: "
                    + String.join(", ", providers().keySet()) + " (a backend module must be on the class path)");
        }
        Availability a = availability(name);
        if (!a.available()) {
            throw new BackendUnavailableException("Device.of(\"" + name + "\"): backend '" + name + "' is not available: "
                    + a.reason());
        }
        Device device = OPEN.get(name + ":" + index);
        if (device == null) {
            device = new Device(provider, index);
            device.backend(); // open now, so a missing device fails here, at Device.of
            OPEN.put(name + ":" + index, device);
        }
        return device;
    }

    static synchronized void forget(Device device) {
        OPEN.remove(device.toString(), device);
        if (defaultDevice == device) {
            defaultDevice = null;
        }
    }

    static Device current() {
        Device scoped = SCOPED.get().peek();
        return scoped != null ? scoped : processDefault();
    }

    static synchronized Device processDefault() {
        if (defaultDevice == null || defaultDevice.isClosed()) {
            String configured = Config.get("weft.backend", "");
            if (!configured.isEmpty()) {
                try {
                    defaultDevice = Device.of(configured);
                } catch (RuntimeException e) {
                    throw new BackendUnavailableException("weft.backend (or WEFT_BACKEND) is '" + configured
                            + "', which cannot be used: " + e.getMessage());
                }
                defaultReason = "chosen by weft.backend/WEFT_BACKEND=" + configured;
            } else {
                Map<String, Availability> passedOver = new LinkedHashMap<>();
                for (BackendProvider p : ranked()) {
                    Availability a = availability(p.name());
                    if (a.available()) {
                        defaultDevice = Device.of(p.name());
                        defaultReason = "the available backend of highest priority (" + p.priority() + ")";
                        break;
                    }
                    passedOver.put(p.name(), a);
                }
                if (defaultDevice == null) {
                    throw new BackendUnavailableException("no backend is available; put weft-core (which holds the "
                            + "reference backend) on the class path");
                }
                String warning = fallbackWarning(defaultDevice.name(), passedOver);
                if (warning != null && !warnedAboutFallback) {
                    warnedAboutFallback = true;
                    System.err.print(warning);
                }
            }
        }
        return defaultDevice;
    }

    /**
     * The one warning printed when the default falls back to the reference interpreter (about 100x
     * slower than the CPU backend) past backends that are installed but cannot run here, each with
     * its reason and fix (the CPU backend's names {@code --add-modules jdk.incubator.vector});
     * null when the default is another backend or nothing was passed over.
     */
    static String fallbackWarning(String chosen, Map<String, Availability> passedOver) {
        if (!chosen.equals(ReferenceProvider.NAME) || passedOver.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("weft: warning: running on the reference backend, a slow interpreter, "
                + "because the faster backends on the class path cannot run here:\n");
        passedOver.forEach((name, a) -> sb.append("  ").append(name).append(": ").append(a.reason()).append('\n'));
        sb.append("  (choose the reference backend with -Dweft.backend=reference or WEFT_BACKEND=reference to "
                + "silence this warning)\n");
        return sb.toString();
    }

    static synchronized String defaultReason() {
        processDefault();
        return defaultReason;
    }

    static void push(Device device) {
        SCOPED.get().push(device);
    }

    static void pop(Device device) {
        Deque<Device> stack = SCOPED.get();
        if (stack.peek() != device) {
            throw new IllegalStateException("Weft.device() scopes closed out of order: closing " + device
                    + " while the innermost is " + stack.peek() + "; close scopes in reverse order (try-with-resources)");
        }
        stack.pop();
    }
}
