package dev.weft;

import dev.weft.schedule.Scheduler;
import dev.weft.schedule.Stats;
import dev.weft.spi.Availability;
import dev.weft.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Process-wide entry points: evaluation of several tensors at once, scopes, statistics and the
 * backend report.
 *
 * {@snippet :
 * try (var step = Weft.scope()) {
 *     Tensor loss = x.sub(y).squaredNorm(0).mean();
 *     step.keep(loss);           // survives the scope; every other temporary is freed
 * }
 * }
 */
public final class Weft {
    private Weft() {}

    /** A scope whose {@code close()} throws nothing; use with try-with-resources. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The scope of {@link #scope()}: frees the step's temporaries on close. */
    public interface MemoryScope extends Scope {
        /** Marks tensors to survive the scope (they are evaluated when it closes); returns the first. */
        Tensor keep(Tensor... tensors);
    }

    /** Counters of what ran, process-wide. */
    public record Stats(long kernelsLaunched, long kernelsCompiled, long gemmsLaunched) {
        /** Sets the process-wide counters to zero (this snapshot keeps its values). */
        public void reset() {
            dev.weft.schedule.Stats.reset();
        }
    }

    /** Whether a backend can run here, and whether it is the default. */
    public record BackendStatus(String name, int priority, Availability availability, boolean isDefault) {}

    /**
     * Evaluates tensors together: what they need and every pending side effect run as one kernel
     * per domain size.
     */
    public static void eval(Tensor... tensors) {
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "Weft.eval(): null tensor").value.checkUsable("Weft.eval()");
        }
        TensorValue.evalAll(List.of(tensors));
    }

    /** Runs every pending side effect of this thread (scatters, reductions) now. */
    public static void flush() {
        Scheduler.evaluate();
    }

    /** A snapshot of the counters. */
    public static Stats stats() {
        return new Stats(dev.weft.schedule.Stats.kernelsLaunched(), dev.weft.schedule.Stats.kernelsCompiled(),
                dev.weft.schedule.Stats.gemmsLaunched());
    }

    /** A scope that frees the temporaries made inside it when it closes (DESIGN.md "memory"). */
    public static MemoryScope scope() {
        return TensorScope.open();
    }

    /** Runs the block's tensor creation on {@code device}. */
    public static Scope device(Device device) {
        Objects.requireNonNull(device, "Weft.device(): device");
        device.checkOpen("Weft.device()");
        Devices.push(device);
        return new Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    Devices.pop(device);
                }
            }
        };
    }

    /** A scope in which nothing is recorded for automatic differentiation. */
    public static Scope noGrad() {
        return GradMode.disable();
    }

    /** Every backend provider found, available or not (with why), and which one is the default. */
    public static List<BackendStatus> backends() {
        String defaultName = null;
        try {
            defaultName = Devices.processDefault().name();
        } catch (BackendUnavailableException e) {
            // reported below as no default
        }
        List<BackendStatus> out = new ArrayList<>();
        for (BackendProvider p : Devices.ranked()) {
            out.add(new BackendStatus(p.name(), p.priority(), Devices.availability(p.name()), p.name().equals(defaultName)));
        }
        return out;
    }

    /** A readable report of the backends: each provider, whether it is available or why not, the default and why. */
    public static String report() {
        StringBuilder sb = new StringBuilder("Weft backends (in order of priority):\n");
        for (BackendStatus s : backends()) {
            sb.append(String.format("  %-10s %-4s priority %3d  %s%s%n", s.name(),
                    s.availability().available() ? "yes" : "no", s.priority(), s.availability().reason(),
                    s.isDefault() ? "  [default]" : ""));
        }
        try {
            Device d = Devices.processDefault();
            sb.append("Default device: ").append(d).append(", ").append(Devices.defaultReason()).append('\n');
        } catch (BackendUnavailableException e) {
            sb.append("Default device: none (").append(e.getMessage()).append(")\n");
        }
        sb.append("Choose another with Device.of(name), -Dweft.backend=name or WEFT_BACKEND=name.\n");
        return sb.toString();
    }
}
