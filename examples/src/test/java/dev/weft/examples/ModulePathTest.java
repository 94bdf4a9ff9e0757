package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Weft on the module path: the descriptors of every module of this build (found on this test's
 * class path, with Guava) resolve, the backends are bound to the core's {@code uses} through
 * their {@code provides}, and the command line runs as a module.
 */
class ModulePathTest {
    private static final Set<String> BACKENDS = Set.of("dev.weft.backend.cpu", "dev.weft.backend.opencl",
            "dev.weft.backend.cuda");

    @Test
    void theCommandLineResolvesWithEveryBackendBoundAsAServiceProvider() {
        Configuration cf = Configuration.resolveAndBind(ModuleFinder.of(modulePath().toArray(Path[]::new)),
                List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), Set.of("dev.weft.examples"));
        Set<String> resolved = cf.modules().stream().map(ResolvedModule::name)
                .collect(Collectors.toCollection(TreeSet::new));
        // the command line requires only the core; the backends come in through 'uses'/'provides'
        assertTrue(resolved.containsAll(BACKENDS), "resolved: " + resolved);
        assertTrue(resolved.contains("dev.weft"), "resolved: " + resolved);
    }

    /** On the module path the CPU backend brings in jdk.incubator.vector itself: no --add-modules. */
    @Test
    void doctorOnTheModulePathFindsTheCpuBackendWithoutFlags() throws Exception {
        String path = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        ChildProcess doctor = ChildProcess.run(ChildProcess.java(), "--enable-native-access=dev.weft.backend.cpu",
                "--module-path", path, "-m", "dev.weft.examples/dev.weft.examples.WeftCommand", "doctor");
        assertEquals(0, doctor.status(), doctor.toString());
        String out = doctor.stdout();
        assertTrue(out.matches("(?s).*\\n  cpu +yes .*\\[default].*"), out);
        assertTrue(out.matches("(?s).*\\n  cpu +ok .*"), out);
        assertTrue(out.matches("(?s).*\\n  reference +ok .*"), out);
        // JCuda (an automatic module) finds its JNI library in the natives jar, also a module
        String cuda = out.lines().filter(l -> l.startsWith("  cuda ")).findFirst().orElseThrow();
        assertFalse(cuda.contains("JCuda's native library could not be loaded"), cuda);
    }

    /**
     * The class path entries that are modules (every module of this build, Guava and its
     * failureaccess, jackson-core, JCuda and its natives jar, JOCL as automatic modules); test
     * libraries without a usable descriptor are left out.
     */
    private static List<Path> modulePath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(ModulePathTest::isWeftOrGuava)
                .toList();
    }

    private static boolean isWeftOrGuava(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream()
                    .map(m -> m.descriptor().name())
                    .anyMatch(n -> n.startsWith("dev.weft") || n.startsWith("com.google.common")
                            || n.equals("com.fasterxml.jackson.core") || n.startsWith("jcuda")
                            || n.equals("jocl"));
        } catch (FindException e) {
            return false; // not a module (a jar whose name makes no module name)
        }
    }
}
