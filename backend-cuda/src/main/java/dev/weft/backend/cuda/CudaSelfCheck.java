package dev.weft.backend.cuda;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CUDA runtime's self-check, a {@code main} for machines without a build tool (the GPU
 * check runs it as one of its stages; GPU.md):
 *
 * <pre>
 * java -cp &lt;classpath&gt; dev.weft.backend.cuda.CudaSelfCheck [--device N] [--check ID] [--list]
 * </pre>
 *
 * <p>Runs {@link CudaChecks#ALL} on {@code cuda:N} (0 by default), one line per check ({@code PASS}
 * or {@code FAIL} with the reason) and a summary; {@code --check ID} runs one check, and
 * {@code --check fault} the check that leaves the context unusable (so it runs alone, in its own
 * process). It opens the runtime whether or not the PTX renderer exists. Exit codes: 0 every
 * check passed, 1 one failed, 2 no GPU (the probe's reason is printed) or bad arguments.
 */
public final class CudaSelfCheck {
    private CudaSelfCheck() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the checks the arguments name, printing to {@code out}; returns the exit code. */
    static int run(String[] args, PrintStream out) {
        int device = 0;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list" -> {
                    for (CudaChecks.Check c : all()) {
                        out.printf(Locale.ROOT, "%-14s %s%n", c.id(), c.name());
                    }
                    return 0;
                }
                case "--device", "--check" -> {
                    if (i + 1 == args.length) {
                        out.println("cuda self-check: " + args[i] + " needs a value");
                        return 2;
                    }
                    String v = args[++i];
                    if (args[i - 1].equals("--check")) {
                        only = v;
                    } else {
                        try {
                            device = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            out.println("cuda self-check: --device takes a number, got " + v);
                            return 2;
                        }
                    }
                }
                default -> {
                    out.println("cuda self-check: unknown argument " + args[i]
                            + "; usage: CudaSelfCheck [--device N] [--check ID] [--list]");
                    return 2;
                }
            }
        }
        List<CudaChecks.Check> checks = new ArrayList<>();
        for (CudaChecks.Check c : only == null ? CudaChecks.ALL : all()) {
            if (only == null || c.id().equals(only)) {
                checks.add(c);
            }
        }
        if (checks.isEmpty()) {
            out.println("cuda self-check: no check is called " + only + "; --list shows them");
            return 2;
        }
        CudaProvider provider = new CudaProvider();
        if (provider.devices().isEmpty()) {
            out.println("cuda self-check: no GPU: " + provider.probe().reason());
            return 2;
        }
        CudaBackend backend;
        try {
            backend = provider.openRuntime(device);
        } catch (RuntimeException e) {
            out.println("cuda self-check: cannot open cuda:" + device + ": " + e.getMessage());
            return 2;
        }
        out.println("CUDA runtime self-check on " + backend + ": " + backend.description());
        int failed = 0;
        try {
            for (CudaChecks.Check c : checks) {
                long start = System.nanoTime();
                String outcome;
                try {
                    c.body().accept(backend);
                    outcome = "PASS";
                } catch (AssertionError | RuntimeException e) {
                    failed++;
                    outcome = "FAIL";
                    out.printf(Locale.ROOT, "FAIL %-14s %s%n     %s%n", c.id(), c.name(), e);
                    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                        out.println("     caused by " + cause);
                    }
                }
                if (outcome.equals("PASS")) {
                    out.printf(Locale.ROOT, "PASS %-14s %s (%.2f s)%n", c.id(), c.name(), (System.nanoTime() - start) / 1e9);
                }
            }
        } finally {
            backend.close();
        }
        out.printf(Locale.ROOT, "%d passed, %d failed on %s (%d PTX module loads, %.2f s in the driver's JIT)%n",
                checks.size() - failed, failed, backend, backend.moduleLoads(), backend.loadSeconds());
        return failed == 0 ? 0 : 1;
    }

    private static List<CudaChecks.Check> all() {
        List<CudaChecks.Check> all = new ArrayList<>(CudaChecks.ALL);
        all.add(CudaChecks.FAULT);
        return all;
    }
}
