package dev.weft.spi;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The answer of {@link BackendProvider#probe()}: available, or not and why (with the fix).
 *
 * @param available whether {@link BackendProvider#open()} can be called
 * @param reason what was found ("AVX-512, 2 threads") or why not and how to fix it
 */
public record Availability(boolean available, String reason) {
    public Availability {
        checkArgument(reason != null && !reason.isBlank(), "Availability needs a reason");
    }

    public static Availability available(String detail) {
        return new Availability(true, detail);
    }

    public static Availability unavailable(String whyAndFix) {
        return new Availability(false, whyAndFix);
    }
}
