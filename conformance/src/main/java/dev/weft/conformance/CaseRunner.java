package dev.weft.conformance;

import dev.weft.Device;
import dev.weft.Weft;

/**
 * Runs one {@link ConformanceCase} on a device: with the device current and inside a memory
 * scope (the case's temporaries are freed when it ends), turning any exception into a failure
 * that names the case and shows the program and the stack trace. Known core bugs
 * ({@link KnownFailures}) are reported as skipped.
 */
public final class CaseRunner {
    private static final int FRAMES = 10;

    private CaseRunner() {}

    /** The outcome of {@code c} on {@code device}, with the program added to a failure's report. */
    @SuppressWarnings("try") // the scopes are held for their effect, not referenced
    public static Outcome run(ConformanceCase c, Device device) {
        Outcome o;
        try (var d = Weft.device(device); var s = Weft.scope()) {
            o = c.run().apply(device);
        } catch (Throwable t) { // a crash of the library is a failure of this case, not of the suite
            if (t instanceof VirtualMachineError e && !(t instanceof StackOverflowError)) {
                throw e;
            }
            o = Outcome.failed("threw " + trace(t));
        }
        o = o.withContext(c.id() + " [" + c.resultClass() + "] on " + device
                + (c.program().isEmpty() ? "" : "\nprogram: " + c.program()));
        return KnownFailures.apply(c, o);
    }

    /** The exception and its first frames (enough to find the throwing op), with causes. */
    private static String trace(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            sb.append(x == t ? "" : "\ncaused by ").append(x);
            StackTraceElement[] frames = x.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                sb.append("\n\tat ").append(frames[i]);
            }
        }
        return sb.toString();
    }
}
