package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The device the tests run on: {@code cuda:0} of this machine's driver. Where there is none, the
 * tests that need it are skipped with the probe's reason; where there is one they must run. Also
 * runs child JVMs (a probe with another environment, a check that breaks its context).
 */
final class CudaTesting {
    private static CudaProvider provider;
    private static CudaBackend shared;

    private CudaTesting() {}

    static synchronized CudaProvider provider() {
        if (provider == null) {
            provider = new CudaProvider();
        }
        return provider;
    }

    /** Skips the calling test, with the probe's reason, where this machine has no CUDA device. */
    static void assumeDevice() {
        assumeTrue(!provider().devices().isEmpty(), () -> "no CUDA device: " + provider().probe().reason());
    }

    /** One backend on cuda:0 shared by the tests that leave it as they found it. */
    static synchronized CudaBackend backend() {
        assumeDevice();
        if (shared == null) {
            shared = provider().openRuntime(0);
        }
        return shared;
    }

    /** Whether the dynamic linker finds the NVIDIA driver's library here (looked up apart from JCuda). */
    static boolean driverLibraryPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What a child JVM printed and how it ended.
     *
     * @param status its exit code
     * @param stdout standard output
     * @param stderr standard error
     */
    record Child(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /**
     * Runs {@code main} in a JVM of its own on this test's class path, with {@code environment}
     * added, for at most five minutes. JCuda extracts its JNI library into the JVM's temporary
     * directory, here one of the build's.
     */
    static Child runJava(Map<String, String> environment, String main, String... args)
            throws IOException, InterruptedException {
        return runJava(environment, System.getProperty("java.class.path"),
                Files.createDirectories(Path.of("target", "child-tmp")), main, args);
    }

    /** Runs {@code main} as above, on {@code classPath} with {@code tmp} as its temporary directory. */
    static Child runJava(Map<String, String> environment, String classPath, Path tmp, String main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp.toAbsolutePath(),
                "-cp", classPath, main));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("weft-cuda-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
            return new Child(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    /** This test's class path without the entries whose file name contains {@code fragment}. */
    static String classPathWithout(String fragment) {
        List<String> kept = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(e).getFileName().toString().contains(fragment)) {
                kept.add(e);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
