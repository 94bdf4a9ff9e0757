package dev.weft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Configuration, read once per key: system property ({@code weft.debug}) over environment
 * variable ({@code WEFT_DEBUG}) over the default. Explicit arguments (a {@link Device} passed to
 * {@link Weft#device}) win over both.
 */
public final class Config {
    private static final Map<String, String> READ = new ConcurrentHashMap<>();

    private Config() {}

    /**
     * The value of a setting such as {@code weft.backend}: the system property, else the
     * environment variable {@code WEFT_BACKEND}, else {@code fallback}; read once and remembered.
     */
    public static String get(String key, String fallback) {
        String v = READ.computeIfAbsent(key, k -> {
            String p = System.getProperty(k);
            if (p == null || p.isBlank()) {
                p = System.getenv(k.toUpperCase().replace('.', '_'));
            }
            return p == null || p.isBlank() ? "" : p.trim();
        });
        return v.isEmpty() ? fallback : v;
    }

    /** {@code weft.debug}: 0 quiet, 1 prints the schedule, 2 also kernel listings and timings. */
    public static int debugLevel() {
        String v = get("weft.debug", "0");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weft.debug must be 0, 1 or 2, not '" + v + "'");
        }
    }

    /** Forgets what was read (tests that change a property call this). */
    public static void reload() {
        READ.clear();
    }
}
