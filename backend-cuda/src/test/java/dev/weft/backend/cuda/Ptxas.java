package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Test helper: NVIDIA's PTX assembler, where it is installed (the CUDA toolkit's {@code ptxas} on PATH). */
final class Ptxas {
    private Ptxas() {}

    /** The ptxas on PATH, if any. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "ptxas"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Skips the calling test where ptxas is not installed, saying so. */
    static Path require() {
        Optional<Path> p = find();
        assumeTrue(p.isPresent(), "ptxas is not on PATH (it comes with the CUDA toolkit); the PTX is not assembled here");
        return p.get();
    }

    /**
     * Assembles a module for {@code arch} (sm_80, sm_90); returns null if it assembles, else
     * ptxas's messages.
     */
    static String assemble(String module, String arch) throws IOException, InterruptedException {
        Path ptxas = require();
        Path dir = Files.createTempDirectory("weft-ptxas");
        try {
            Path source = dir.resolve("module.ptx");
            Files.writeString(source, module);
            Process p = new ProcessBuilder(ptxas.toString(), "-arch=" + arch, source.toString(), "-o",
                    dir.resolve("module.cubin").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "ptxas did not finish in 2 minutes";
            }
            return p.exitValue() == 0 ? null : out;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
