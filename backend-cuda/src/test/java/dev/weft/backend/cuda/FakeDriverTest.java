package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The runtime through JCuda's real JNI library against the fake driver ({@link FakeCuda}): every
 * check of {@link CudaChecks}, each in a JVM of its own. The fake runs queued work only when the
 * host waits, checks every access and every free against queued work, assembles every module with
 * ptxas where it is installed and emulates the gemm from its parameter block and grid, so these
 * catch wrong stream order, staging reuse, parameter layouts and launch geometry. What they cannot
 * show is the real driver's behaviour, which {@link CudaRuntimeTest} checks on a GPU.
 */
class FakeDriverTest {
    @TestFactory
    Stream<DynamicTest> everyCheckPassesOnTheFakeDriver() {
        List<CudaChecks.Check> checks = new ArrayList<>(CudaChecks.ALL);
        checks.add(CudaChecks.FAULT);
        return checks.stream().map(c -> DynamicTest.dynamicTest(c.id() + ": " + c.name(), () -> {
            CudaTesting.Child child = CudaTesting.runJava(FakeCuda.environment(), CudaSelfCheck.class.getName(),
                    "--check", c.id());
            assertEquals(0, child.status(), child.toString());
            assertTrue(child.stdout().contains("PASS " + c.id()), child.toString());
        }));
    }

    @Test
    void theFakeDriverCatchesMemoryFreedWhileQueuedWorkStillUsesIt() throws Exception {
        CudaTesting.Child child = CudaTesting.runJava(FakeCuda.environment(), EarlyFreeMain.class.getName());
        assertTrue(child.stderr().contains("stream order violated: cuMemFree"), child.toString());
        assertTrue(child.stdout().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), child.toString());
    }
}
