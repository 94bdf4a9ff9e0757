package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Tensor;
import org.junit.jupiter.api.Test;

/** {@link LrSchedule}: each schedule's formula at chosen steps, computed here in double. */
class LrScheduleTest {

    @Test
    void cosineAnnealsFromTheBaseToTheMinimum() {
        LrSchedule s = LrSchedule.cosine(1e-2, 1e-4, 100);
        assertEquals(1e-2, s.rate(0), 1e-18);
        assertEquals(1e-4 + (1e-2 - 1e-4) * (1 + Math.cos(Math.PI * 0.25)) / 2, s.rate(25), 1e-15);
        assertEquals((1e-2 + 1e-4) / 2, s.rate(50), 1e-15);
        assertEquals(1e-4, s.rate(100), 1e-18);
        assertEquals(1e-4, s.rate(1000), 1e-18);
        assertEquals(1e-5, LrSchedule.cosine(1e-2, 10).rate(10), 1e-18, "0.1% of the base");
    }

    @Test
    void stepDecayMultipliesByGammaEveryPeriod() {
        LrSchedule s = LrSchedule.step(0.1, 10, 0.5);
        assertEquals(0.1, s.rate(9));
        assertEquals(0.05, s.rate(10));
        assertEquals(0.025, s.rate(29));
    }

    @Test
    void warmupRampsLinearlyIntoTheNextSchedule() {
        LrSchedule s = LrSchedule.warmup(4, LrSchedule.constant(1e-3));
        assertEquals(1e-3 / 5, s.rate(0), 1e-18);
        assertEquals(4e-3 / 5, s.rate(3), 1e-18);
        assertEquals(1e-3, s.rate(4));
        assertEquals(1e-3, s.rate(400));
    }

    @Test
    void applySetsTheOptimizersRateAndLeavesOwnRates() {
        SGD opt = new SGD(1);
        opt.put("a", Tensor.of(new float[] {0}));
        opt.put("b", Tensor.of(new float[] {0}));
        opt.setLearningRate("b", 0.5);
        LrSchedule.step(0.1, 1, 0.5).apply(opt, 2);
        assertEquals(0.025, opt.learningRate("a"));
        assertEquals(0.5, opt.learningRate("b"));
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1e-3, 1e-2, 10));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1e-3, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1, 5, 1.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(1).apply(new SGD(1), -1));
    }
}
