package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Optimizer#save} and {@link Optimizer#loadInto}: state through a safetensors file. */
class OptimizerFilesTest {
    @TempDir
    Path dir;

    /** A few Adam steps on (x - 2)^2 and (y + 1)^2, y registered as F16 with its own rate. */
    private static Adam trained(int steps) {
        Adam opt = new Adam(0.1);
        opt.put("net.x", Tensor.of(new float[] {1, 0.5f, -3}));
        opt.put("y", Tensor.of(new float[] {0.25f, 4}).to(DType.F16));
        opt.setLearningRate("y", 0.05);
        for (int i = 0; i < steps; i++) {
            step(opt);
        }
        return opt;
    }

    private static void step(Adam opt) {
        Tensor u = opt.get("net.x").sub(2);
        Tensor w = opt.get("y").to(DType.F32).add(1);
        u.mul(u).sum().add(w.mul(w).sum()).backward();
        opt.step();
    }

    @Test
    void theFileHoldsValuesMomentsAndStepCountsUnderTheirKeys() {
        Path f = dir.resolve("adam.safetensors");
        Adam opt = trained(3);
        opt.save(f);
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Set.of("net.x.value", "net.x.m", "net.x.v", "net.x.t", "y.value", "y.m", "y.v", "y.t"),
                c.tensors().keySet());
        assertArrayEquals(opt.slots().get("net.x").master().toFloatArray(), c.tensors().get("net.x.value").toFloatArray());
        assertArrayEquals(opt.slots().get("y").moment("v").toFloatArray(), c.tensors().get("y.v").toFloatArray());
        assertEquals(DType.F32, c.tensors().get("y.value").dtype(), "the F32 master, not the F16 copy");
        assertEquals("Adam", c.metadata().get("weft.optimizer"));
        assertEquals("F16", c.metadata().get("y.dtype"));
    }

    @Test
    void aLoadedOptimizerContinuesExactlyWhereTheSavedOneWas() {
        Path f = dir.resolve("adam.safetensors");
        Adam original = trained(3);
        original.save(f);
        Adam loaded = new Adam(1);
        loaded.loadInto(f);
        assertEquals(List.of("net.x", "y"), List.copyOf(loaded.keySet()));
        assertEquals(0.1, loaded.learningRate());
        assertEquals(0.05, loaded.learningRate("y"));
        assertEquals(3, loaded.steps("net.x"));
        assertEquals(DType.F16, loaded.get("y").dtype());
        for (int i = 0; i < 2; i++) {
            step(original);
            step(loaded);
        }
        assertArrayEquals(original.get("net.x").toFloatArray(), loaded.get("net.x").toFloatArray());
        assertArrayEquals(original.get("y").toFloatArray(), loaded.get("y").toFloatArray());
    }

    @Test
    void theScalerStateTravelsWithIt() {
        Path f = dir.resolve("amp.safetensors");
        SGD opt = new SGD(0.1);
        opt.put("x", Tensor.of(new float[] {1}));
        GradScaler scaler = new GradScaler(8, 2, 0.5, 1);
        for (int i = 0; i < 3; i++) {
            scaler.scale(opt.get("x")).backward();
            scaler.step(opt);
        }
        opt.save(f, scaler);
        GradScaler fresh = new GradScaler();
        SGD other = new SGD(1);
        other.loadInto(f, fresh);
        assertEquals(scaler.scaleFactor(), fresh.scaleFactor());
        assertEquals(scaler.goodSteps(), fresh.goodSteps());
        GradScaler none = new GradScaler();
        Path plain = dir.resolve("plain.safetensors");
        opt.save(plain);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadInto(plain, none));
        assertTrue(e.getMessage().contains("holds no GradScaler state"), e.getMessage());
        assertEquals(65536, none.scaleFactor());
    }

    private static void assertUnchanged(Adam opt, float[] x, long steps) {
        assertArrayEquals(x, opt.get("net.x").toFloatArray());
        assertEquals(steps, opt.steps("net.x"));
        assertEquals(0.1, opt.learningRate());
    }

    @Test
    void aTruncatedCorruptedOrForeignFileLeavesTheOptimizerAsItWas() throws IOException {
        Path f = dir.resolve("adam.safetensors");
        trained(3).save(f);
        Adam opt = trained(1);
        float[] x = opt.get("net.x").toFloatArray();
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadInto(cut));
        assertTrue(e.getMessage().contains("is truncated"), e.getMessage());
        assertUnchanged(opt, x, 1);
        Path noise = dir.resolve("noise.safetensors");
        Files.write(noise, "this is not a tensor file at all".getBytes());
        assertThrows(IllegalArgumentException.class, () -> opt.loadInto(noise));
        assertUnchanged(opt, x, 1);
        Path sgd = dir.resolve("sgd.safetensors");
        SGD other = new SGD(0.1);
        other.put("net.x", Tensor.of(new float[] {1, 2, 3}));
        other.save(sgd);
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadInto(sgd));
        assertTrue(e.getMessage().contains("holds SGD state; load it into a SGD"), e.getMessage());
        assertUnchanged(opt, x, 1);
        Path foreign = dir.resolve("weights.safetensors");
        Safetensors.write(foreign, java.util.Map.of("w", Tensor.of(new float[] {1})));
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadInto(foreign));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
        assertUnchanged(opt, x, 1);
    }

    @Test
    void aFileWithoutStateForARegisteredKeyIsRefused() {
        Path f = dir.resolve("one.safetensors");
        Adam small = new Adam(0.1);
        small.put("net.x", Tensor.of(new float[] {5, 6, 7}));
        small.save(f);
        Adam opt = trained(1);
        float[] x = opt.get("net.x").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadInto(f));
        assertTrue(e.getMessage().contains("has no state for [y]"), e.getMessage());
        assertUnchanged(opt, x, 1);
    }
}
