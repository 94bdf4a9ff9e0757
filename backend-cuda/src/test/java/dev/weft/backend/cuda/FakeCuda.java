package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the fake NVIDIA driver of {@code src/test/c/fake_libcuda.c} (its header says what it
 * checks), built with gcc into {@code target/fake-cuda/libcuda.so.1} once per test run. Child JVMs
 * load it instead of any real driver through {@code LD_LIBRARY_PATH}, so Weft's runtime runs
 * through JCuda's real JNI library against it. Where gcc is missing the tests that need it are
 * skipped, saying so.
 */
final class FakeCuda {
    private static final Path SOURCE = Path.of("src", "test", "c", "fake_libcuda.c");
    private static final Path DIR = Path.of("target", "fake-cuda");
    private static String problem;
    private static boolean built;

    private FakeCuda() {}

    /** The directory holding the fake {@code libcuda.so.1}; skips the calling test where it cannot be built. */
    static synchronized Path directory() throws IOException, InterruptedException {
        if (!built && problem == null) {
            build();
        }
        assumeTrue(problem == null, () -> problem);
        return DIR.toAbsolutePath();
    }

    /** The environment that makes a child JVM load the fake driver, plus {@code extra}. */
    static Map<String, String> environment(String... extra) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        String old = System.getenv("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", directory() + (old == null || old.isEmpty() ? "" : ":" + old));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private static void build() throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        Path library = DIR.resolve("libcuda.so.1");
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-std=gnu11", "-O2", "-Wall", "-Werror", "-shared", "-fPIC", "-o",
                    library.toString(), SOURCE.toString(), "-lm", "-lpthread").redirectErrorStream(true).start();
        } catch (IOException e) {
            problem = "gcc is not installed, so the fake CUDA driver (src/test/c/fake_libcuda.c) cannot be built: " + e
                    .getMessage();
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("building the fake CUDA driver failed:\n" + out);
        }
        built = true;
    }
}
