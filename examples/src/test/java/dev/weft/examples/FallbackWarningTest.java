package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 9: a JVM started on the class path without {@code --add-modules jdk.incubator.vector}
 * used to run user code on the reference interpreter, about 100x slower, without a word.
 */
class FallbackWarningTest {

    @Test
    void withoutTheVectorModuleTheDefaultFallsBackWithOneWarningNamingTheFlag() throws Exception {
        ChildProcess doctor = ChildProcess.run(ChildProcess.java(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), WeftCommand.class.getName(), "doctor");
        assertEquals(0, doctor.status(), doctor.toString());
        assertTrue(doctor.stdout().contains("Default device: reference:0"), doctor.toString());
        long warnings = doctor.stderr().lines().filter(l -> l.startsWith("weft: warning:")).count();
        assertEquals(1, warnings, "one warning, although doctor asks for the default several times\n" + doctor);
        assertTrue(doctor.stderr().contains("  cpu: ") && doctor.stderr().contains("--add-modules jdk.incubator.vector"),
                doctor.toString());
    }

    @Test
    void withTheVectorModuleTheCpuBackendIsTheDefaultAndNothingIsSaid() throws Exception {
        ChildProcess doctor = ChildProcess.run(ChildProcess.java(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                WeftCommand.class.getName(), "doctor");
        assertEquals(0, doctor.status(), doctor.toString());
        assertTrue(doctor.stdout().contains("Default device: cpu:0"), doctor.toString());
        assertTrue(doctor.stderr().lines().noneMatch(l -> l.startsWith("weft: warning:")), doctor.toString());
    }
}
