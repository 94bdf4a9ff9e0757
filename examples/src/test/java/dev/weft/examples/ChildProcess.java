package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs a command (a script, a second JVM) and returns what it printed. */
record ChildProcess(int status, String stdout, String stderr) {

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static ChildProcess run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** Runs {@code command} with this JVM's environment, minus WEFT_BACKEND, for at most a minute. */
    static ChildProcess run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("weft-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectError(err.toFile());
            pb.environment().remove("WEFT_BACKEND");
            Process p = pb.start();
            String stdout;
            try (var o = p.getInputStream()) {
                stdout = new String(o.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
            return new ChildProcess(p.exitValue(), stdout, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    @Override
    public String toString() {
        return "exit " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
}
