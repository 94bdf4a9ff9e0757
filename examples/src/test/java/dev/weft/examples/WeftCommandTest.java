package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WeftCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return WeftCommand.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommandAndSucceeds() {
        assertEquals(0, run("help"));
        for (String command : new String[] {"doctor", "fit", "gpu-check", "test", "conformance", "bench", "help"}) {
            assertTrue(out().contains("  " + command + " "), command + " missing from\n" + out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().contains("usage:"), err());
    }

    @Test
    void unknownCommandIsAUsageErrorNamingIt() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("'frobnicate'"), err());
    }

    @Test
    void fitSaysItIsNotAvailableYet() {
        assertEquals(2, run("fit"));
        assertTrue(err().contains("nn work"), err());
    }

    @Test
    void gpuCheckWithoutAGpuSaysSoWithExitCode2(@org.junit.jupiter.api.io.TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeFalse(cudaLine().contains("found cuda:"), "this machine has a CUDA device");
        out.reset();
        assertEquals(2, run("gpu-check", dir.toString()), out() + err());
        assertTrue(out().contains("No GPU is present"), out());
    }

    /** Surefire pins weft.backend=reference; the reference backend computes 2 * (0 + 1 + ... + 999). */
    @Test
    void doctorRunsTheTinyKernelOnTheReferenceBackend() {
        assertEquals(0, run("doctor"), out() + err());
        assertTrue(out().matches("(?s).*\\n  reference +ok .*"), out());
    }

    /** The CPU backend is on this module's runtime classpath with the Vector API module loaded. */
    @Test
    void doctorRunsTheTinyKernelOnTheCpuBackend() {
        assertEquals(0, run("doctor"), out() + err());
        assertTrue(out().matches("(?s).*\\n  cpu +yes .*"), out());
        assertTrue(out().matches("(?s).*\\n  cpu +ok .*"), out());
    }

    /**
     * OpenCL reports the devices it found (or why it found none) and, until its renderer exists,
     * that it cannot render kernels.
     */
    @Test
    void doctorListsOpenClWithItsProbesReason() {
        run("doctor");
        assertTrue(out().matches("(?s).*\\n  opencl +no +priority +\\d+ +\\S.*"), out());
    }

    /**
     * The CUDA backend's line is its probe's real reason: no driver here, or the devices and the
     * missing PTX renderer where there is one; never a placeholder's text.
     */
    @Test
    void doctorListsCudaWithItsProbesReason() {
        String cuda = cudaLine();
        assertTrue(cuda.matches("  cuda +no +priority 400  (no CUDA driver \\(libcuda.so.1 not found\\): .*|no device: .*"
                + "|found cuda:0 = .*issue 17.*)"), cuda);
    }

    /** Issue 9: ./weft printed the script's text, ./weft help another one (WeftCommand's). */
    @Test
    void theScriptAloneTheScriptsHelpAndHelpPrintOneText() throws Exception {
        assertEquals(0, run("help"));
        String help = out();
        ChildProcess alone = script();
        assertEquals(2, alone.status());
        assertEquals(help, alone.stderr(), "./weft with no command");
        ChildProcess scriptHelp = script("help");
        assertEquals(0, scriptHelp.status());
        assertEquals(help, scriptHelp.stdout(), "./weft help");
    }

    /** Issue 9: the usage text named docs/GPU.md, which is not in the repository. */
    @Test
    void everyFileTheUsageTextNamesIsInTheRepository() {
        Matcher names = Pattern.compile("[\\w./-]+\\.(md|txt|java)\\b").matcher(WeftCommand.usage());
        int found = 0;
        while (names.find()) {
            found++;
            assertTrue(Files.exists(REPOSITORY.resolve(names.group())), names.group() + " is not in the repository");
        }
        assertTrue(found > 0, "the usage text names benchmarks/README.md");
    }

    /** Issue 9: the placeholder said "Weft runs on the reference backend meanwhile" where cpu is the default. */
    @Test
    void cudasLineNeverNamesTheReferenceBackendAsTheFallback() {
        assertFalse(cudaLine().contains("reference"), cudaLine());
    }

    private String cudaLine() {
        if (out().isEmpty()) {
            run("doctor");
        }
        return out().lines().filter(l -> l.startsWith("  cuda ")).findFirst().orElseThrow();
    }

    /** The repository root: Maven runs a module's tests in the module's directory. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    /** Runs the ./weft script (bash) with arguments that need no Java. */
    private static ChildProcess script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", REPOSITORY.resolve("weft").toString()));
        command.addAll(List.of(args));
        return ChildProcess.run(command);
    }
}
