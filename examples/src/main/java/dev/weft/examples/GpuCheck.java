package dev.weft.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The GPU check (GPU.md): one {@code main} that runs the stages in order, each as a process of
 * its own with its own time limit, and appends their output to a text report as it arrives, so a
 * stage that hangs, crashes the JVM or breaks its CUDA context still leaves the others' results.
 * On a GPU machine, from the checkout with the bundle of {@code ../shared/tools/gpu-bundle}
 * beside it: {@code bash .gpu/run.sh dev.weft.examples.GpuCheck REPORT_DIR}; here
 * {@code ./weft gpu-check [REPORT_DIR]}.
 *
 * <p>Stages: the driver's view of the GPUs ({@code nvidia-smi}), {@code weft doctor}, the CUDA
 * runtime's self-check ({@code CudaSelfCheck}: allocation, copies, launches, stream order,
 * {@code gemm}, errors), its sticky-error check alone, the conformance suite on CUDA, the
 * reference neural-field fit on CUDA, and the benchmark (not available yet). If the runtime stage
 * finds no GPU, the check stops there. The limits add up to under 8 minutes; {@code --limit
 * STAGE=SECONDS} changes one.
 *
 * <p>Exit codes: 0 every stage that could run passed; 1 a stage failed or timed out; 2 no GPU
 * is present, or bad arguments. The report is {@code REPORT_DIR/gpu-check.txt}.
 */
public final class GpuCheck {
    /** The report's file name in the report folder. */
    static final String REPORT = "gpu-check.txt";
    /** Where {@code ./weft gpu-check} writes when no folder is given. */
    static final String DEFAULT_DIR = "target/gpu-check";

    private GpuCheck() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The stages, in order, writing the fit's files under {@code dir}. */
    static List<GpuCheckStage> stages(Path dir) {
        return List.of(
                GpuCheckStage.program("nvidia-smi", "the GPUs and the driver, as nvidia-smi sees them", 15,
                        "nvidia-smi", "--query-gpu=index,name,driver_version,memory.total,compute_cap",
                        "--format=csv"),
                GpuCheckStage.java("doctor", "weft doctor: every backend, its probe and a tiny kernel", 45,
                        WeftCommand.class.getName(), "doctor"),
                GpuCheckStage.java("cuda-runtime", "the CUDA runtime's self-check on cuda:0", 120,
                        "dev.weft.backend.cuda.CudaSelfCheck"),
                GpuCheckStage.java("cuda-fault", "a faulting kernel: a sticky error that names it (a process of its own)",
                        40, "dev.weft.backend.cuda.CudaSelfCheck", "--check", "fault"),
                GpuCheckStage.java("conformance", "the conformance suite on cuda", 170,
                        "dev.weft.conformance.ConformanceMain", "--backend", "cuda", "--programs", "200"),
                GpuCheckStage.java("fit", "the reference neural field on cuda, 1000 steps (PSNR, time per step)", 80,
                        WeftCommand.class.getName(), "fit", "--backend", "cuda", "--steps", "1000", "--out",
                        dir.resolve("fit").toString()),
                GpuCheckStage.notYet("bench", "the benchmarks beside PyTorch on the GPU",
                        "the side-by-side benchmark harness (issue 20) does not exist yet"));
    }

    /** Runs the check with the given arguments; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir = null;
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--limit") && i + 1 < args.length) {
                String[] kv = args[++i].split("=", 2);
                try {
                    limits.put(kv[0], Integer.parseInt(kv.length == 2 ? kv[1] : ""));
                } catch (NumberFormatException e) {
                    err.println("gpu-check: --limit takes STAGE=SECONDS, got " + args[i]);
                    return WeftCommand.UNAVAILABLE;
                }
            } else if (args[i].startsWith("-") || dir != null) {
                err.println("gpu-check: unexpected argument " + args[i] + "; usage: gpu-check [REPORT_DIR] "
                        + "[--limit STAGE=SECONDS]...");
                return WeftCommand.UNAVAILABLE;
            } else {
                dir = Path.of(args[i]);
            }
        }
        dir = dir == null ? Path.of(DEFAULT_DIR) : dir;
        List<GpuCheckStage> stages = new ArrayList<>();
        for (GpuCheckStage s : stages(dir)) {
            Integer limit = limits.remove(s.name());
            stages.add(limit == null ? s : s.withLimit(limit));
        }
        if (!limits.isEmpty()) {
            err.println("gpu-check: no stage is called " + String.join(", ", limits.keySet()) + "; the stages are "
                    + String.join(", ", stages.stream().map(GpuCheckStage::name).toList()));
            return WeftCommand.UNAVAILABLE;
        }
        try {
            Files.createDirectories(dir);
            try (PrintWriter report = new PrintWriter(Files.newBufferedWriter(dir.resolve(REPORT),
                    StandardCharsets.UTF_8), true)) {
                return runStages(stages, new Tee(report, out), dir);
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("gpu-check: cannot write the report in " + dir.toAbsolutePath() + ": " + e.getMessage());
            return WeftCommand.UNAVAILABLE;
        }
    }

    /** The report and the console: every line goes to both, the report flushed at once. */
    private record Tee(PrintWriter report, PrintStream console) {
        synchronized void line(String s) {
            report.println(s);
            console.println(s);
        }
    }

    private static int runStages(List<GpuCheckStage> stages, Tee tee, Path dir) {
        long total = stages.stream().mapToLong(GpuCheckStage::limitSeconds).sum();
        tee.line("Weft GPU check, " + Instant.now() + ", Java " + Runtime.version() + " on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores; stage limits add up to " + total + " s");
        tee.line("Report: " + dir.resolve(REPORT).toAbsolutePath());
        Map<String, String> summary = new LinkedHashMap<>();
        boolean failed = false;
        boolean noGpu = false;
        for (GpuCheckStage stage : stages) {
            if (noGpu) {
                summary.put(stage.name(), "not run (no GPU)");
                continue;
            }
            tee.line("");
            tee.line("== " + stage.name() + ": " + stage.what()
                    + (stage.notYet().isEmpty() ? " (limit " + stage.limitSeconds() + " s)" : ""));
            long start = System.nanoTime();
            GpuCheckStage.Outcome outcome = stage.notYet().isEmpty() ? runStage(stage, tee)
                    : GpuCheckStage.Outcome.NOT_AVAILABLE;
            if (!stage.notYet().isEmpty()) {
                tee.line("   not available yet: " + stage.notYet());
            }
            if (outcome == GpuCheckStage.Outcome.NOT_AVAILABLE && stage.name().equals("cuda-runtime")) {
                outcome = GpuCheckStage.Outcome.NO_GPU;
            }
            String result = String.format(Locale.ROOT, "%s in %.1f s", outcome.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' '), (System.nanoTime() - start) / 1e9);
            tee.line("-- " + stage.name() + ": " + result);
            summary.put(stage.name(), result);
            failed |= outcome == GpuCheckStage.Outcome.FAILED || outcome == GpuCheckStage.Outcome.TIMED_OUT;
            noGpu = outcome == GpuCheckStage.Outcome.NO_GPU;
        }
        tee.line("");
        tee.line("Summary:");
        summary.forEach((name, result) -> tee.line(String.format(Locale.ROOT, "  %-13s %s", name, result)));
        if (noGpu) {
            tee.line("No GPU is present (the cuda-runtime stage says why); the stages after it were not run.");
            return WeftCommand.UNAVAILABLE;
        }
        return failed ? WeftCommand.FAILURE : WeftCommand.OK;
    }

    /** Runs one stage's process, copying its output line by line, and kills it at its limit. */
    private static GpuCheckStage.Outcome runStage(GpuCheckStage stage, Tee tee) {
        List<String> command = stage.java() ? javaCommand(stage.command()) : stage.command();
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            tee.line("   cannot start " + command.getFirst() + ": " + e.getMessage());
            return stage.java() ? GpuCheckStage.Outcome.FAILED : GpuCheckStage.Outcome.SKIPPED;
        }
        Thread copier = Thread.ofPlatform().daemon().name("gpu-check-" + stage.name()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    tee.line("   " + line);
                }
            } catch (IOException e) {
                tee.line("   (reading the output failed: " + e.getMessage() + ")");
            }
        });
        try {
            boolean ended = p.waitFor(stage.limitSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            copier.join(TimeUnit.SECONDS.toMillis(5));
            if (!ended) {
                tee.line("   killed after " + stage.limitSeconds() + " s");
                return GpuCheckStage.Outcome.TIMED_OUT;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return GpuCheckStage.Outcome.FAILED;
        }
        return switch (p.exitValue()) {
            case 0 -> GpuCheckStage.Outcome.PASSED;
            case 2 -> GpuCheckStage.Outcome.NOT_AVAILABLE;
            default -> {
                if (p.exitValue() != 1) {
                    tee.line("   exit code " + p.exitValue() + (p.exitValue() > 128 ? " (killed by signal "
                            + (p.exitValue() - 128) + ")" : ""));
                }
                yield GpuCheckStage.Outcome.FAILED;
            }
        };
    }

    /** This JVM's launcher, the flags Weft needs, this JVM's class path, then the main class and its arguments. */
    static List<String> javaCommand(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        return command;
    }
}
