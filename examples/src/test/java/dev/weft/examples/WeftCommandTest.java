package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        for (String command : new String[] {"doctor", "fit", "gpu-check", "test", "bench", "help"}) {
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
    void gpuCheckSaysItIsNotAvailableYet() {
        assertEquals(2, run("gpu-check"));
        assertTrue(err().contains("CUDA backend"), err());
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

    /** The placeholder backends are on this module's runtime classpath and say why they cannot run. */
    @Test
    void doctorListsThePlaceholderBackendsWithTheirReason() {
        run("doctor");
        assertTrue(out().contains("The CUDA backend is not implemented yet"), out());
        assertTrue(out().contains("The OpenCL backend is not implemented yet"), out());
    }
}
