package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.BackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Discovery and the probe: what it says without a driver (word for word), without JCuda's native
 * library, with a driver but no GPU, and with a device but no PTX renderer yet (the gate). The
 * last two run in child JVMs on the fake driver ({@link FakeCuda}).
 */
class CudaProviderTest {
    @Test
    void theProviderIsFoundThroughServiceLoaderAsCudaWithPriority400() {
        BackendProvider cuda = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("cuda"))
                .findFirst().orElseThrow();
        assertTrue(cuda instanceof CudaProvider, cuda.getClass().getName());
        assertEquals(400, cuda.priority());
    }

    @Test
    void withoutTheDriverTheProbeSaysNoCudaDriverWordForWordAndOpenRefuses() {
        assumeFalse(CudaTesting.driverLibraryPresent(), "this machine has libcuda.so.1");
        Availability a = new CudaProvider().probe();
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("no CUDA driver (libcuda.so.1 not found)"), a.reason());
        var e = assertThrows(BackendUnavailableException.class, () -> new CudaProvider().open(0));
        assertTrue(e.getMessage().startsWith("cuda:0: no CUDA driver (libcuda.so.1 not found)"), e.getMessage());
    }

    @Test
    void withoutJCudasNativesJarTheProbeNamesTheJar() throws Exception {
        // a fresh temporary directory: JCuda would load a library it extracted there before
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("weft-no-natives");
        CudaTesting.Child c = CudaTesting.runJava(Map.of(), CudaTesting.classPathWithout("jcuda-natives"), tmp,
                ProbeMain.class.getName());
        java.nio.file.Files.delete(tmp);
        assertEquals(0, c.status(), c.toString());
        assertTrue(c.stdout().startsWith("unavailable: JCuda's native library could not be loaded"), c.toString());
        assertTrue(c.stdout().contains("org.jcuda:jcuda-natives"), c.toString());
    }

    @Test
    void aLoadFailureThatNamesLibcudaIsTheMissingDriver() {
        var inner = new UnsatisfiedLinkError("/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open "
                + "shared object file: No such file or directory");
        var outer = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"");
        outer.initCause(inner);
        assertTrue(CudaDiscovery.whyNotLoaded(outer).startsWith(CudaDiscovery.NO_DRIVER + ": install the NVIDIA driver"));
        // the class's later uses: NoClassDefFoundError whose cause carries the first error's text
        var later = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        later.initCause(new ExceptionInInitializerError("Exception " + outer + " ... " + inner));
        assertTrue(CudaDiscovery.whyNotLoaded(later).startsWith(CudaDiscovery.NO_DRIVER));
    }

    @Test
    void aLoadFailureWithoutTheResourceIsTheMissingNativesJar() {
        var e = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "java.io.IOException: No resource found with name '/lib/libJCudaDriver-12.6.0-linux-x86_64.so'");
        String why = CudaDiscovery.whyNotLoaded(e);
        assertTrue(why.startsWith("JCuda's native library could not be loaded"), why);
        assertTrue(why.contains("No resource found") && why.contains("jcuda-natives"), why);
    }

    @Test
    void withADriverTheGateNamesTheDeviceAndTheMissingRenderer() throws Exception {
        CudaTesting.Child c = CudaTesting.runJava(FakeCuda.environment(), ProbeMain.class.getName());
        assertEquals("unavailable: found cuda:0 = Weft fake CUDA device 0 (tests) (sm_90, 132 SMs, 1.0 GiB, driver "
                + "CUDA 13.0), but this build cannot yet render Weft's kernels to PTX (the PTX renderer, issue 17); "
                + "Weft runs on the default device below meanwhile", c.stdout().strip(), c.toString());
    }

    @Test
    void withADriverAndNoGpuTheProbeSaysNoDevice() throws Exception {
        CudaTesting.Child c = CudaTesting.runJava(FakeCuda.environment("FAKE_CUDA_DEVICES", "0"),
                ProbeMain.class.getName());
        assertTrue(c.stdout().startsWith("unavailable: no device: the NVIDIA driver is installed but finds no GPU"),
                c.toString());
    }

    @Test
    void openingADeviceThatDoesNotExistNamesTheOnesThatDo() throws Exception {
        CudaTesting.Child c = CudaTesting.runJava(FakeCuda.environment(), CudaSelfCheck.class.getName(),
                "--device", "3", "--check", "copies");
        assertEquals(2, c.status(), c.toString());
        assertTrue(c.stdout().contains("cuda:3 does not exist: the driver has 1 device here, cuda:0 = Weft fake CUDA "
                + "device 0"), c.toString());
    }
}
