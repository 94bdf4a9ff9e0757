package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DESIGN.md "Backend SPI and discovery": selection by explicit device, property, priority. */
class DeviceSelectionTest {

    @Test
    void referenceBackendIsFoundAndAvailable() {
        Weft.BackendStatus ref = Weft.backends().stream().filter(b -> b.name().equals("reference")).findFirst()
                .orElseThrow();
        assertTrue(ref.availability().available());
        assertEquals(100, ref.priority());
    }

    @Test
    void testsRunOnTheDevicePinnedByTheProperty() {
        assertEquals("reference", Device.defaultDevice().name());
        assertTrue(Weft.report().contains("chosen by weft.backend"), Weft.report());
    }

    @Test
    void reportListsEveryProviderWithItsReason() {
        String report = Weft.report();
        for (Weft.BackendStatus s : Weft.backends()) {
            assertTrue(report.contains(s.name()), report);
            assertTrue(report.contains(s.availability().reason()), report);
        }
        assertTrue(report.contains("Default device: reference:0"), report);
    }

    @Test
    void deviceOfReturnsTheOpenDevice() {
        assertSame(Device.of("reference"), Device.of("reference:0"));
        assertEquals("reference:0", Device.of("reference").toString());
    }

    @Test
    void deviceScopeDirectsTensorCreation() {
        Device own = new Device(Devices.providers().get("reference"), 0);
        try (Weft.Scope s = Weft.device(own)) {
            assertSame(own, Device.defaultDevice());
            assertSame(own, Tensor.zeros(DType.F32, 3).device());
        } finally {
            own.close();
        }
        assertNotSame(own, Device.defaultDevice());
    }

    @Test
    void tensorMovesBetweenDevices() {
        Device own = new Device(Devices.providers().get("reference"), 0);
        try {
            Tensor here = Tensor.of(new float[] {1.5f, -2f});
            Tensor there = here.to(own);
            assertSame(own, there.device());
            assertEquals(-2f, there.toFloatArray()[1]);
        } finally {
            own.close();
        }
    }

    @Test
    void closedDeviceIsReopenedFresh() {
        Device d = Device.of("reference");
        Tensor t = Tensor.of(new float[] {3});
        assertEquals(3, t.item());
        assertSame(d, t.device());
        // closing the shared default device is covered by BadInputTest on a private device
        assertTrue(!d.isClosed());
    }

    /** Issue 9: without --add-modules jdk.incubator.vector, user code ran on the interpreter silently. */
    @Test
    void fallingBackToTheInterpreterPastAnUnusableBackendWarnsWithItsReason() {
        Map<String, Availability> passedOver = new LinkedHashMap<>();
        passedOver.put("cpu", Availability.unavailable("the Vector API module is not loaded: start the JVM with "
                + "--add-modules jdk.incubator.vector"));
        String warning = Devices.fallbackWarning("reference", passedOver);
        assertTrue(warning.startsWith("weft: warning: running on the reference backend"), warning);
        assertTrue(warning.contains("\n  cpu: the Vector API module is not loaded: start the JVM with --add-modules "
                + "jdk.incubator.vector\n"), warning);
    }

    @Test
    void aDefaultOtherThanTheInterpreterOrNothingPassedOverGivesNoWarning() {
        Map<String, Availability> cudaMissing = Map.of("cuda", Availability.unavailable("no NVIDIA driver"));
        assertNull(Devices.fallbackWarning("cpu", cudaMissing), "cpu is a fine default");
        assertNull(Devices.fallbackWarning("reference", Map.of()), "only the reference backend is installed");
    }

    @Test
    void providersAreRankedByThePriorityTheyReportAfterTheirProbe() {
        // OpenCL declares its best case (a GPU, 300) and reports 150 once its probe finds only a CPU device
        RankedByProbe opencl = new RankedByProbe("opencl", 300, 150);
        RankedByProbe cpu = new RankedByProbe("cpu", 200, 200);
        RankedByProbe cuda = new RankedByProbe("cuda", 400, 400);
        List<BackendProvider> ranked = Devices.rankAfterProbing(List.of(opencl, cpu, cuda), BackendProvider::probe);
        assertEquals(List.of("cuda", "cpu", "opencl"), ranked.stream().map(BackendProvider::name).toList());
    }

    @Test
    void theReportListsBackendsByThePriorityTheyReport() {
        List<Weft.BackendStatus> backends = Weft.backends();
        for (int i = 1; i < backends.size(); i++) {
            assertTrue(backends.get(i - 1).priority() >= backends.get(i).priority(), backends.toString());
        }
    }

    /** A provider whose priority changes when it is probed, as OpenCL's does. */
    private static final class RankedByProbe implements BackendProvider {
        private final String name;
        private final int probed;
        private int priority;

        RankedByProbe(String name, int declared, int probed) {
            this.name = name;
            this.priority = declared;
            this.probed = probed;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability probe() {
            priority = probed;
            return Availability.unavailable("test provider");
        }

        @Override
        public Backend open(int index) {
            throw new AssertionError("not opened in this test");
        }
    }
}
