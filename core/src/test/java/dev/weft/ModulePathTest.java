package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.google.common.base.Preconditions;
import com.google.common.util.concurrent.internal.InternalFutureFailureAccess;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core as a Java module (its {@code module-info.java}): user code on the module path compiles
 * against the exported packages only, and runs. The application here is a small module written
 * to a temporary directory, compiled against this build's {@code target/classes} and Guava.
 */
class ModulePathTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dev.weft.trace.Tracer", "dev.weft.schedule.Scheduler", "dev.weft.memory.CachingAllocator",
            "dev.weft.backend.reference.ReferenceProvider"})
    void javacRefusesAnImportOfAnInternalPackage(String internalClass) throws IOException {
        String pkg = internalClass.substring(0, internalClass.lastIndexOf('.'));
        Compilation c = compile("import " + internalClass + ";\n\npublic class Main {\n    Object o = "
                + internalClass.substring(pkg.length() + 1) + ".class;\n}\n");
        assertFalse(c.succeeded(), "an import of " + internalClass + " compiled:\n" + c.log());
        assertTrue(c.log().contains("package " + pkg + " is declared in module dev.weft, which does not export it"),
                c.log());
    }

    @Test
    void theUserApiAndTheSpiCompileAgainstTheModule() throws IOException {
        Compilation c = compile("""
                import dev.weft.DType;
                import dev.weft.MemoryStats;
                import dev.weft.Tensor;
                import dev.weft.io.Images;
                import dev.weft.ir.MatrixAccess;
                import dev.weft.ir.Op;
                import dev.weft.ir.ScalarOps;
                import dev.weft.spi.BackendProvider;
                import dev.weft.spi.Kernel;

                public class Main {
                    Object[] used = {DType.F32, MemoryStats.class, Tensor.class, Images.class, MatrixAccess.class,
                            Op.ADD, ScalarOps.class, BackendProvider.class, Kernel.class};
                }
                """);
        assertTrue(c.succeeded(), c.log());
    }

    @Test
    void aModularApplicationRunsOnTheReferenceBackendWithoutJavaDesktop() throws Exception {
        Compilation c = compile("""
                import dev.weft.DType;
                import dev.weft.Device;
                import dev.weft.Tensor;
                import dev.weft.io.Images;
                import java.nio.file.Path;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(Device.defaultDevice().name());
                        System.out.println(Tensor.arange(DType.F32, 10).sum().item());
                        System.out.println(ModuleLayer.boot().findModule("java.desktop").isPresent());
                        try {
                            Images.read(Path.of("wave.png"));
                        } catch (IllegalStateException e) {
                            System.out.println(e.getMessage());
                        }
                    }
                }
                """);
        assertTrue(c.succeeded(), c.log());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // a runtime without java.desktop (as a jlinked one): the observable modules are the
        // application's and what they require, and the core requires java.desktop only statically
        List<String> out = run(java, "--module-path", modulePath() + File.pathSeparator + c.classes(),
                "--limit-modules", "weft.user", "-m", "weft.user/weft.user.Main");
        assertEquals("reference", out.get(0), "the provider declared with 'provides' is found: " + out);
        assertEquals(45.0, Double.parseDouble(out.get(1)), "0 + 1 + ... + 9");
        assertEquals("false", out.get(2), "java.desktop is not loaded");
        assertTrue(out.get(3).startsWith("Images.read(): ") && out.get(3).contains("--add-modules java.desktop"),
                out.get(3));
    }

    /** A module {@code weft.user} (requires dev.weft) with one class {@code weft.user.Main} of this body. */
    private Compilation compile(String mainBody) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.resolve("weft/user"));
        Files.writeString(src.resolve("module-info.java"), "module weft.user {\n    requires dev.weft;\n}\n");
        Files.writeString(src.resolve("weft/user/Main.java"), "package weft.user;\n\n" + mainBody);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter log = new StringWriter();
        // an empty class path: not this test's, which holds the core's packages as unnamed ones
        Path noClassPath = Files.createDirectories(dir.resolve("empty"));
        List<String> options = List.of("-d", classes.toString(), "--module-path", modulePath(),
                "--class-path", noClassPath.toString());
        try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            var units = files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve("weft/user/Main.java"));
            boolean ok = javac.getTask(log, files, null, options, null, units).call();
            return new Compilation(ok, log.toString(), classes);
        }
    }

    private record Compilation(boolean succeeded, String log, Path classes) {}

    /** This build's core module and the modules it requires (Guava and its failureaccess, jackson-core). */
    private static String modulePath() {
        return Stream.of(Tensor.class, Preconditions.class, InternalFutureFailureAccess.class, JsonFactory.class)
                .map(ModulePathTest::location).collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command; returns its standard output's lines, failing with both streams if it fails. */
    private List<String> run(String... command) throws IOException, InterruptedException {
        Path errors = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String stdout;
        try (var o = p.getInputStream()) {
            stdout = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String stderr = Files.readString(errors);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        return new ArrayList<>(stdout.lines().toList());
    }
}
