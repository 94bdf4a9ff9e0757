package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** DESIGN.md "What runs": evaluation groups work by domain, one kernel per group. */
class SchedulerTest {

    private static long launches(Runnable r) {
        long before = Weft.stats().kernelsLaunched();
        r.run();
        return Weft.stats().kernelsLaunched() - before;
    }

    @Test
    void nothingRunsUntilAValueIsNeeded() {
        long n = launches(() -> Tensor.arange(DType.F32, 100).mul(3).add(1).sin());
        assertEquals(0, n);
    }

    @Test
    void tensorsOfOneDomainEvaluatedTogetherShareOneKernel() {
        Tensor x = Tensor.arange(DType.F32, 300);
        Tensor a = x.mul(2);
        Tensor b = x.add(5);
        assertEquals(1, launches(() -> Weft.eval(a, b)));
        assertEquals(598, a.toFloatArray()[299]);
        assertEquals(304, b.toFloatArray()[299]);
    }

    @Test
    void tensorsOfTwoDomainsAreTwoKernels() {
        Tensor a = Tensor.arange(DType.F32, 300).mul(2);
        Tensor b = Tensor.arange(DType.F32, 7).mul(2);
        assertEquals(2, launches(() -> Weft.eval(a, b)));
    }

    @Test
    void scheduledTensorRunsWithTheNextEvaluation() {
        Tensor x = Tensor.arange(DType.F32, 64);
        Tensor a = x.mul(2).schedule();
        Tensor b = x.mul(3);
        assertEquals(1, launches(b::eval), "a rides along in b's kernel");
        assertEquals(0, launches(a::eval));
        assertEquals(126, a.toFloatArray()[63]);
    }

    @Test
    void whatIsTracedFromAScheduledTensorReadsItsValueInTheSameKernel() {
        Tensor x = Tensor.arange(DType.F32, 96);
        Tensor a = x.mul(2).schedule(); // a store into a's buffer, pending
        Tensor b = a.add(1);            // traced from a: loads a's buffer
        assertEquals(1, launches(b::eval), "b takes a's stored value instead of waiting a wave for the store");
        assertEquals(0, launches(a::eval), "a's store ran in the same kernel");
        assertEquals(191, b.toFloatArray()[95]);
        assertEquals(190, a.toFloatArray()[95]);
    }

    @Test
    void componentsOfAScheduledTensorForwardToTheirReaders() {
        Tensor t = Tensor.arange(DType.F32, 50);
        Tensor p = Tensor.stack(t, t.mul(t), t.neg()).schedule(); // [3, 50]: three stores at offsets
        Tensor q = p.mul(2).add(1);
        assertEquals(1, launches(q::eval));
        float[] got = q.toFloatArray();
        for (int i = 0; i < 50; i++) {
            assertEquals(2f * i + 1, got[i]);
            assertEquals(2f * i * i + 1, got[50 + i]);
            assertEquals(-2f * i + 1, got[100 + i]);
        }
    }

    @Test
    void aReaderThatWaitsForAReductionAnywayLoadsTheStoredValue() {
        Tensor x = Tensor.arange(DType.F32, 200).div(10);
        Tensor a = x.sin().schedule();
        Tensor b = a.sub(a.sum()); // waits a wave for the sum: it loads a there, not recomputing a
        assertEquals(2, launches(b::eval));
        double sum = 0;
        float[] av = a.toFloatArray();
        for (float v : av) {
            sum += v;
        }
        float[] bv = b.toFloatArray();
        for (int i = 0; i < 200; i++) {
            assertEquals(av[i] - sum, bv[i], 200 * 0x1p-23 * 200);
        }
    }

    @Test
    void aCopyWithScatteredAdditionsIsNotForwarded() {
        Tensor base = Tensor.arange(DType.F32, 8).mul(1).schedule();
        Tensor added = base.scatterAdd(Tensor.of(new int[] {1, 1, 6}), Tensor.of(new float[] {10, 20, 30}));
        Tensor read = added.mul(2);
        assertArrayEquals(new float[] {0, 62, 4, 6, 8, 10, 72, 14}, read.toFloatArray());
    }

    @Test
    void aReductionReadInTheSameDomainRunsInAnEarlierWave() {
        double[] data = new double[513];
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.sin(i) * 10; // any values; the reference is computed in double below
        }
        Tensor x = Tensor.of(data);
        Tensor centered = x.sub(x.mean());
        double mean = 0;
        for (double d : data) {
            mean += d;
        }
        mean /= data.length;
        double[] got = centered.toDoubleArray();
        double bound = data.length * Math.ulp(1.0) * 20; // sum of 513 terms of magnitude <= 10, in F64
        for (int i = 0; i < data.length; i++) {
            assertEquals(data[i] - mean, got[i], bound);
        }
    }

    @Test
    void pendingScatterIsVisibleToLaterReads() {
        Tensor hist = Tensor.zeros(DType.I32, 4).scatterAdd(Tensor.of(new int[] {0, 1, 1, 3, 3, 3}),
                Tensor.ones(DType.I32, 6));
        Tensor doubled = hist.mul(2);
        assertArrayEquals(new int[] {2, 4, 0, 6}, doubled.toIntArray());
    }

    /**
     * A read of many pending buffers waits for all of them: 70 histograms (70 pending scatters,
     * more than the 64 buffers one combined walk tracks) summed in one program, evaluated
     * together with the scatters, against the count done here.
     */
    @Test
    void aReadOfManyPendingBuffersWaitsForEveryWrite() {
        Tensor total = null;
        int[] expected = new int[4];
        for (int h = 0; h < 70; h++) {
            int[] index = {h % 4, (h * 7) % 4, 3};
            Tensor hist = Tensor.zeros(DType.I32, 4).scatterAdd(Tensor.of(index), Tensor.ones(DType.I32, 3));
            for (int i : index) {
                expected[i]++;
            }
            total = total == null ? hist : total.add(hist);
        }
        assertArrayEquals(expected, total.toIntArray());
    }

    @Test
    void evaluationDoesNotChangeValues() {
        Tensor x = Tensor.linspace(DType.F32, -1, 1, 11);
        Tensor y = x.mul(x);
        float[] before = y.toFloatArray();
        y.eval();
        assertArrayEquals(before, y.toFloatArray());
        assertEquals((float) (0.2 * 0.2), y.toFloatArray()[4], 1e-7f);
    }

    @Test
    void aKernelDoesNotDependOnWhereTracesWereCut() throws Exception {
        // the same program traced at once, and with an evaluation (which starts a new trace) between
        // its parts: equal nodes of two traces are merged again when the kernel is built
        Tensor a = Tensor.arange(DType.F32, 300).mul(2).add(1);
        java.util.List<dev.weft.spi.Kernel> once = new java.util.ArrayList<>();
        try (AutoCloseable w = dev.weft.schedule.Scheduler.observeLaunches(l -> once.add(l.kernel()))) {
            a.add(Tensor.arange(DType.F32, 300).mul(2).add(1).sqrt()).eval();
        }
        java.util.List<dev.weft.spi.Kernel> cut = new java.util.ArrayList<>();
        try (AutoCloseable w = dev.weft.schedule.Scheduler.observeLaunches(l -> cut.add(l.kernel()))) {
            Tensor b = Tensor.arange(DType.F32, 7).eval(); // an evaluation: a new trace begins
            assertEquals(1, cut.size());
            a.add(Tensor.arange(DType.F32, 300).mul(2).add(1).sqrt()).eval();
        }
        assertEquals(once.getFirst(), cut.get(1), once.getFirst().listing() + cut.get(1).listing());
    }
}
