package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check: here (no GPU) it runs up to the CUDA runtime stage and stops with exit code 2;
 * each stage runs in a process of its own whose time limit is enforced while the others still
 * run; on the fake driver of the CUDA backend's tests every stage runs and reports what it found.
 */
class GpuCheckTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GpuCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutAGpuItStopsAfterTheRuntimeStageWithExitCode2AndAReport(@TempDir Path dir) throws IOException {
        assumeFalse(driverLibraryPresent(), "this machine has an NVIDIA driver");
        assertEquals(2, run(dir.toString()), out + "\n" + err);
        String report = Files.readString(dir.resolve(GpuCheck.REPORT));
        assertEquals(out.toString(StandardCharsets.UTF_8).strip(), report.strip(), "the console shows the report");
        assertTrue(report.contains("no CUDA driver (libcuda.so.1 not found)"), report);
        assertTrue(report.contains("-- doctor: passed"), report);
        assertTrue(report.matches("(?s).*\\n  cuda-runtime  no gpu in .*"), report);
        assertTrue(report.matches("(?s).*\\n  conformance   not run \\(no GPU\\).*"), report);
        assertTrue(report.endsWith("No GPU is present (the cuda-runtime stage says why); the stages after it were not "
                + "run.\n"), report);
    }

    @Test
    void aStagePastItsLimitIsKilledAndTheNextStagesStillRun(@TempDir Path dir) throws IOException {
        assertEquals(2, run(dir.toString(), "--limit", "doctor=0"), out + "\n" + err);
        String report = Files.readString(dir.resolve(GpuCheck.REPORT));
        assertTrue(report.contains("   killed after 0 s\n-- doctor: timed out"), report);
        assertTrue(report.contains("== cuda-runtime:"), report);
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) {
        assertEquals(2, run(dir.toString(), "--limit", "nosuchstage=5"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no stage is called nosuchstage"), err.toString());
        assertEquals(2, run(dir.toString(), "--limit", "doctor=soon"));
        assertEquals(2, run(dir.toString(), "other"));
    }

    @Test
    void theStagesFitInOneDeviceRunOfEightMinutes() {
        long total = GpuCheck.stages(Path.of("r")).stream().mapToLong(GpuCheckStage::limitSeconds).sum();
        assertTrue(total < 8 * 60, total + " s");
    }

    /**
     * With the CUDA backend tests' fake driver (built from its C source with gcc) as libcuda.so.1,
     * the runtime stages pass, and the stages that need the PTX renderer or weft fit say they are
     * not available (those parts do not exist yet), so the check ends with 0.
     */
    @Test
    void onAFakeGpuEveryStageRunsAndReportsWhatItFound(@TempDir Path dir) throws Exception {
        Path fake = buildFakeDriver(dir);
        List<String> command = new ArrayList<>(GpuCheck.javaCommand(List.of(GpuCheck.class.getName(),
                dir.resolve("report").toString())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", fake.toString());
        pb.environment().remove("WEFT_BACKEND");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(8, TimeUnit.MINUTES));
        String report = Files.readString(dir.resolve("report").resolve(GpuCheck.REPORT));
        assertEquals(0, p.exitValue(), output);
        assertTrue(report.contains("CUDA runtime self-check on cuda:0 (Weft fake CUDA device 0 (tests))"), report);
        assertTrue(report.matches("(?s).*\\n  cuda-runtime  passed in .*"), report);
        assertTrue(report.matches("(?s).*\\n  cuda-fault    passed in .*"), report);
        assertTrue(report.matches("(?s).*\\n  conformance   not available in .*"), report);
        assertTrue(report.contains("conformance: backend cuda is not available")
                && report.contains("found cuda:0 = Weft fake CUDA device 0 (tests)"), report);
        assertTrue(report.matches("(?s).*\\n  fit           not available in .*"), report);
        assertTrue(report.contains("not available yet: the side-by-side benchmark harness (issue 20)"), report);
    }

    private static Path buildFakeDriver(Path dir) throws IOException, InterruptedException {
        Path source = Path.of("").toAbsolutePath().getParent().resolve("backend-cuda/src/test/c/fake_libcuda.c");
        assumeTrue(Files.exists(source), "the CUDA backend's fake driver source is not beside this module");
        Path lib = Files.createDirectories(dir.resolve("fake-cuda"));
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O2", "-shared", "-fPIC", "-o",
                    lib.resolve("libcuda.so.1").toString(), source.toString(), "-lm", "-lpthread")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed, so the fake CUDA driver cannot be built");
            throw e;
        }
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(2, TimeUnit.MINUTES) && gcc.exitValue() == 0, log);
        return lib;
    }

    private static boolean driverLibraryPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
