package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The runtime's checks ({@link CudaChecks}) against this machine's driver and GPU: skipped with
 * the probe's reason where there is none (as here, without a GPU), run on {@code cuda:0} where
 * there is one. The check that breaks its context runs in a JVM of its own.
 */
class CudaRuntimeTest {
    @TestFactory
    Stream<DynamicTest> everyCheckPassesOnThisMachinesGpu() {
        return CudaChecks.ALL.stream().map(c -> DynamicTest.dynamicTest(c.id() + ": " + c.name(),
                () -> c.body().accept(CudaTesting.backend())));
    }

    @Test
    void aFaultingKernelIsAStickyErrorNamingIt() throws Exception {
        CudaTesting.assumeDevice();
        CudaTesting.Child c = CudaTesting.runJava(Map.of(), CudaSelfCheck.class.getName(), "--check", "fault");
        assertEquals(0, c.status(), c.toString());
        assertTrue(c.stdout().contains("PASS fault"), c.toString());
    }
}
