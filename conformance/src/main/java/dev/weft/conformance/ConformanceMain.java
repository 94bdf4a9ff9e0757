package dev.weft.conformance;

import dev.weft.Device;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Runs the conformance suite without a build tool, on the backend named on the command line;
 * what GPU machines run:
 *
 * <pre>
 * java -cp &lt;classpath&gt; dev.weft.conformance.ConformanceMain --backend cuda [--programs 5000] [--filter f16] [--verbose]
 * </pre>
 *
 * <p>Prints one line per group, the reason of every skipped case, the report of every failure
 * and a summary (passed, failed, skipped, time); exits with 1 if any case failed, 2 on bad arguments or an unavailable backend.
 */
public final class ConformanceMain {
    private ConformanceMain() {}

    public static void main(String[] args) {
        String backend = System.getProperty("weft.backend", "reference");
        String filter = "";
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            if (i + 1 >= args.length && !a.equals("--help")) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--backend" -> backend = args[++i];
                case "--programs" -> System.setProperty(RandomPrograms.COUNT_PROPERTY, args[++i]);
                case "--filter" -> filter = args[++i];
                case "--help" -> usage(null);
                default -> usage("unknown argument " + a);
            }
        }
        Device device;
        try {
            device = Device.of(backend);
        } catch (RuntimeException e) {
            System.err.println("conformance: backend " + backend + " is not available: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(device, filter, verbose, System.out) ? 0 : 1);
    }

    /** Runs every case whose id contains {@code filter} (with {@code verbose}, one line each); returns whether none failed. */
    public static boolean run(Device device, String filter, boolean verbose, PrintStream out) {
        long start = System.nanoTime();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        StringBuilder failures = new StringBuilder();
        StringBuilder skips = new StringBuilder();
        out.println("Weft conformance on " + device);
        for (CaseGroups.Group g : CaseGroups.all()) {
            long t0 = System.nanoTime();
            List<ConformanceCase> cases = g.cases().get().stream().filter(c -> c.id().contains(filter)).toList();
            int[] n = new int[3];
            for (ConformanceCase c : cases) {
                long c0 = System.nanoTime();
                Outcome o = CaseRunner.run(c, device);
                n[o.status().ordinal()]++;
                if (verbose) {
                    out.printf(Locale.ROOT, "    %-7s %7.3f s  %s%n", o.status(), (System.nanoTime() - c0) / 1e9, c.id());
                }
                if (o.isFailed()) {
                    failures.append("\nFAILED ").append(o.detail()).append('\n');
                } else if (o.status() == Outcome.Status.SKIPPED) {
                    skips.append("SKIPPED ").append(c.id()).append(": ").append(o.detail().lines().findFirst().orElse(""))
                            .append('\n');
                }
            }
            if (!cases.isEmpty()) {
                out.printf(Locale.ROOT, "  %-16s %5d passed %4d failed %4d skipped %8.1f s%n", g.name(), n[0], n[1], n[2],
                        (System.nanoTime() - t0) / 1e9);
            }
            passed += n[0];
            failed += n[1];
            skipped += n[2];
        }
        out.print(skips);
        out.print(failures);
        out.printf(Locale.ROOT, "%d passed, %d failed, %d skipped in %.1f s on %s%n", passed, failed, skipped,
                (System.nanoTime() - start) / 1e9, device);
        return failed == 0;
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("conformance: " + error);
        }
        System.err.println("usage: ConformanceMain [--backend NAME] [--programs N] [--filter SUBSTRING] [--verbose]");
        System.exit(error == null ? 0 : 2);
    }
}
