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
}
