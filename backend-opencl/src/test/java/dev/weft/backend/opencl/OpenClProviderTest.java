package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.BackendProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, the probe's reasons, the device order and the rank that follows the probe. */
class OpenClProviderTest {
    @Test
    void serviceLoaderFindsTheOpenClProviderWithoutLoadingOpenCl() {
        BackendProvider opencl = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
        assertTrue(opencl instanceof OpenClProvider);
        // before its probe, a provider reports its best case: a GPU
        assertEquals(300, opencl.priority());
    }

    @Test
    void theRankAfterTheProbeIsThatOfDeviceZerosKind() {
        OpenClTesting.assumeOpenCl();
        OpenClProvider provider = new OpenClProvider();
        assertEquals(300, provider.priority());
        provider.probe();
        OpenClDevice first = provider.devices().getFirst();
        assertEquals(first.kind() == OpenClDevice.Kind.GPU ? 300 : 150, provider.priority(), first.describe());
    }

    @Test
    void onlyAGpuRanksAboveTheCpuBackend() {
        int cpuBackend = 200;
        assertTrue(OpenClDevice.Kind.GPU.priority > cpuBackend);
        for (OpenClDevice.Kind kind : List.of(OpenClDevice.Kind.ACCELERATOR, OpenClDevice.Kind.CPU, OpenClDevice.Kind.OTHER)) {
            assertTrue(kind.priority < cpuBackend && kind.priority > 100, kind.toString()); // above the reference (100)
        }
    }

    @Test
    void devicesAreOrderedByKindThenPlatformThenDevice() {
        List<OpenClDevice> devices = new ArrayList<>(List.of(
                device(0, 0, OpenClDevice.Kind.CPU, "pocl cpu"),
                device(1, 1, OpenClDevice.Kind.GPU, "second gpu of platform 1"),
                device(2, 0, OpenClDevice.Kind.ACCELERATOR, "fpga"),
                device(1, 0, OpenClDevice.Kind.GPU, "first gpu of platform 1"),
                device(0, 1, OpenClDevice.Kind.OTHER, "custom"),
                device(2, 1, OpenClDevice.Kind.GPU, "gpu of platform 2")));
        devices.sort(OpenClDiscovery.ORDER);
        assertEquals(List.of("first gpu of platform 1", "second gpu of platform 1", "gpu of platform 2", "fpga", "pocl cpu",
                "custom"), devices.stream().map(OpenClDevice::name).toList());
    }

    @Test
    void probeNamesTheDevicesItFoundAndWhyKernelsCannotRunYet() {
        OpenClTesting.assumeOpenCl();
        var a = new OpenClProvider().probe();
        OpenClDevice first = OpenClTesting.provider().devices().getFirst();
        assertTrue(a.reason().contains("opencl:0 = ") && a.reason().contains(first.name()), a.reason());
        assertFalse(a.available(), "the provider must not claim kernels run before the renderer exists: " + a.reason());
        assertTrue(a.reason().contains("issue 15"), a.reason());
    }

    @Test
    void openRefusesWithTheProbesReason() {
        OpenClTesting.assumeOpenCl();
        var e = assertThrows(BackendUnavailableException.class, () -> new OpenClProvider().open(0));
        assertTrue(e.getMessage().startsWith("opencl:0: found opencl:0 = "), e.getMessage());
    }

    @Test
    void openingAMissingIndexNamesTheDevicesThatExist() {
        OpenClTesting.assumeOpenCl();
        int count = OpenClTesting.provider().devices().size();
        var e = assertThrows(BackendUnavailableException.class, () -> OpenClTesting.provider().openRuntime(count));
        assertTrue(e.getMessage().contains("opencl:" + count + " does not exist") && e.getMessage().contains("opencl:0 = "),
                e.getMessage());
        assertThrows(BackendUnavailableException.class, () -> OpenClTesting.provider().openRuntime(-1));
    }

    @Test
    void theDescriptionSaysWhatTheDeviceIsAndWhatItLacks() {
        OpenClTesting.assumeOpenCl();
        OpenClDevice d = OpenClTesting.provider().devices().getFirst();
        String text = d.describe();
        assertTrue(text.contains(d.name()) && text.contains(d.driverVersion()) && text.contains("(" + d.kind() + ")"), text);
        assertTrue(d.withoutFp64().describe().contains("no cl_khr_fp64"), d.withoutFp64().describe());
    }

    @Test
    void withoutAnyPlatformTheProbeSaysHowToInstallADriver(@TempDir Path emptyVendors) throws Exception {
        OpenClTesting.assumeOpenCl(); // the ICD loader must be there to be pointed at an empty vendor list
        String out = probeInChild("OCL_ICD_VENDORS", emptyVendors.toString());
        assertTrue(out.startsWith("unavailable: the OpenCL ICD loader found no platform"), out);
        assertTrue(out.contains("pocl-opencl-icd"), out);
    }

    @Test
    void poclWithoutAWritableCacheDirectoryPointsAtPoclCacheDir() throws Exception {
        OpenClTesting.assumeOpenCl();
        org.junit.jupiter.api.Assumptions.assumeTrue(OpenClTesting.provider().devices().stream().allMatch(OpenClDevice::isPocl),
                "only PoCL hides its device without a cache directory");
        String out = probeInChild("POCL_CACHE_DIR", "/proc/weft-no-such-directory");
        assertTrue(out.startsWith("unavailable: ") && out.contains("set POCL_CACHE_DIR to a writable directory"), out);
    }

    private static OpenClDevice device(int platform, int index, OpenClDevice.Kind kind, String name) {
        return new OpenClDevice(null, null, platform, index, kind, name, "", "", "", "", "", Set.of(), 1, 1, 1, 1, 1, 1,
                true, true, true);
    }

    /** Runs {@link ProbeMain} in a child JVM with one environment variable changed; returns its first line. */
    private static String probeInChild(String variable, String value) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ProbeMain.class.getName());
        pb.environment().put(variable, value);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("available") || l.startsWith("unavailable")).findFirst()
                .orElse(text);
    }
}
