package dev.weft.schedule;

import java.util.concurrent.atomic.AtomicLong;

/** Process-wide counters behind {@code Weft.stats()}. */
public final class Stats {
    private static final AtomicLong LAUNCHED = new AtomicLong();
    private static final AtomicLong COMPILED = new AtomicLong();
    private static final AtomicLong GEMMS = new AtomicLong();

    private Stats() {}

    static void launched() {
        LAUNCHED.incrementAndGet();
    }

    static void compiled() {
        COMPILED.incrementAndGet();
    }

    static void gemm() {
        GEMMS.incrementAndGet();
    }

    public static long kernelsLaunched() {
        return LAUNCHED.get();
    }

    public static long kernelsCompiled() {
        return COMPILED.get();
    }

    public static long gemmsLaunched() {
        return GEMMS.get();
    }

    public static void reset() {
        LAUNCHED.set(0);
        COMPILED.set(0);
        GEMMS.set(0);
    }
}
