package dev.weft.examples;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code weft} command line: {@code doctor}, {@code fit}, {@code gpu-check}, {@code help}.
 * {@code ./weft} at the repository root builds the project and runs this class; {@code ./weft test}
 * and {@code ./weft bench} are handled by that script.
 *
 * <p>Exit codes: 0 done, 1 something failed, 2 a usage error or a command that is not available
 * (yet, or on this machine).
 *
 * {@snippet :
 * // java -cp ... dev.weft.examples.WeftCommand doctor
 * int code = WeftCommand.run(new String[] {"doctor"}, System.out, System.err);
 * }
 */
public final class WeftCommand {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Something failed; the output says what. */
    public static final int FAILURE = 1;
    /** Bad usage, or a command that is not available (yet, or here). */
    public static final int UNAVAILABLE = 2;

    /** Where the usage text lives: the file the {@code ./weft} script prints, so both say the same. */
    static final String USAGE_RESOURCE = "usage.txt";

    /** The tiny kernel doctor runs: sum(2 * arange(1000)) = 2 * (999 * 1000 / 2), exact in F32. */
    static final int DOCTOR_N = 1000;
    static final double DOCTOR_EXPECTED = 999_000;

    private WeftCommand() {
    }

    public static void main(String[] args) {
        // exit explicitly: a backend's worker threads must not keep the JVM alive
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return UNAVAILABLE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "doctor" -> rest.length == 0 ? doctor(out) : noArguments("doctor", rest, err);
            case "fit" -> notYet(err, "fit", "the neural-field fit arrives with the nn work (layers, Nn.pack, Adam); "
                    + "nothing is fitted until then");
            case "gpu-check" -> GpuCheck.run(rest, out, err);
            case "test", "bench", "conformance" -> {
                err.println("weft " + args[0] + ": run it through the ./weft script at the repository root");
                yield UNAVAILABLE;
            }
            case "help", "-h", "--help" -> {
                out.print(usage());
                yield OK;
            }
            default -> {
                err.println("weft: unknown command '" + args[0] + "'");
                err.print(usage());
                yield UNAVAILABLE;
            }
        };
    }

    /**
     * Prints {@link Weft#report()}, then runs the tiny kernel on every available backend.
     * Returns {@link #FAILURE} if any of them computes a wrong value or throws.
     */
    static int doctor(PrintStream out) {
        String report = Weft.report();
        out.println(report.endsWith("\n") ? report.substring(0, report.length() - 1) : report);
        out.println();
        out.printf(Locale.ROOT, "Tiny kernel on each available backend: sum(2 * arange(%d)), expecting %.0f%n",
                DOCTOR_N, DOCTOR_EXPECTED);
        int ran = 0;
        int failed = 0;
        for (Weft.BackendStatus b : Weft.backends()) {
            if (!b.availability().available()) {
                continue;
            }
            ran++;
            String result = tinyKernel(b.name());
            if (!result.startsWith("ok")) {
                failed++;
            }
            out.printf(Locale.ROOT, "  %-10s %s%n", b.name(), result);
        }
        if (ran == 0) {
            out.println("  no backend is available; the report above says why");
            return FAILURE;
        }
        return failed == 0 ? OK : FAILURE;
    }

    /** "ok (time)" or "FAILED: why". */
    private static String tinyKernel(String backend) {
        long start = System.nanoTime();
        try (Weft.Scope _ = Weft.device(Device.of(backend))) {
            double v = Tensor.arange(DType.F32, DOCTOR_N).mul(2).sum().item();
            double ms = (System.nanoTime() - start) / 1e6;
            if (v != DOCTOR_EXPECTED) {
                return String.format(Locale.ROOT, "FAILED: got %s, expected %.0f", v, DOCTOR_EXPECTED);
            }
            return String.format(Locale.ROOT, "ok (%.1f ms, compilation included)", ms);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            StringBuilder why = new StringBuilder("FAILED: ").append(e);
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                why.append("\n               caused by ").append(c);
            }
            return why.toString();
        }
    }

    /** The usage text ({@link #USAGE_RESOURCE}). */
    static String usage() {
        try (InputStream in = WeftCommand.class.getResourceAsStream(USAGE_RESOURCE)) {
            if (in == null) {
                throw new AssertionError(USAGE_RESOURCE + " is missing beside WeftCommand.class");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int notYet(PrintStream err, String command, String why) {
        err.println("weft " + command + ": " + why + ".");
        return UNAVAILABLE;
    }

    private static int noArguments(String command, String[] rest, PrintStream err) {
        err.println("weft " + command + ": takes no arguments, got " + String.join(" ", rest));
        return UNAVAILABLE;
    }
}
