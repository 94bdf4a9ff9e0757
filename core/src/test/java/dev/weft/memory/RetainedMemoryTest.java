package dev.weft.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Parameter;
import dev.weft.Tensor;
import dev.weft.Weft;
import org.junit.jupiter.api.Test;

/** DESIGN.md: "Memory stays flat over a long training loop." */
class RetainedMemoryTest {

    @Test
    void tenThousandScopedStepsKeepRetainedMemoryFlat() throws InterruptedException {
        Device device = Device.defaultDevice();
        Parameter w = new Parameter(Tensor.zeros(DType.F32, 32).eval());
        long retainedAfterWarmup = 0;
        for (int step = 0; step < 10_000; step++) {
            try (Weft.MemoryScope s = Weft.scope()) {
                Tensor x = Tensor.arange(DType.F32, 32).div(32);
                Tensor grad = w.get().sub(x).mul(2);
                w.set(w.get().sub(grad.mul(Tensor.opaque(DType.F32, 0.1))));
                grad.squaredNorm(0).sum().item();
            }
            if (step == 100) {
                retainedAfterWarmup = retained(device);
            }
        }
        // a replaced parameter value is garbage the scope cannot see; the collector returns it
        assertEquals(retainedAfterWarmup, retained(device), "bytes held by live buffers");
        float[] converged = w.get().toFloatArray();
        for (int i = 0; i < 32; i++) {
            assertEquals(i / 32f, converged[i], 1e-6f, "w converges to x: w <- w - 0.2 (w - x)");
        }
    }

    /** Bytes in use once the garbage collector has returned every unreachable buffer. */
    private static long retained(Device device) throws InterruptedException {
        long previous = -1;
        long now = device.memory().bytesInUse();
        for (int attempt = 0; attempt < 50 && now != previous; attempt++) {
            previous = now;
            System.gc();
            Thread.sleep(20);
            now = device.memory().bytesInUse(); // memory() releases what the collector found unreachable
        }
        return now;
    }

    @Test
    void unscopedStepsReturnMemoryThroughTheGarbageCollector() throws InterruptedException {
        Device device = Device.defaultDevice();
        long before = device.memory().bytesInUse();
        for (int step = 0; step < 2_000; step++) {
            Tensor.arange(DType.F32, 256).mul(step).eval();
        }
        long released = retained(device);
        assertTrue(released <= before, "in use after GC: " + released + ", before the loop: " + before);
    }
}
