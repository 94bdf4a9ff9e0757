package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.ir.Op;
import org.junit.jupiter.api.Test;

/** DESIGN.md "Tensors, lanes and components": how tensors map to IR nodes and kernels. */
class ComponentModelTest {

    private static long launches(Runnable r) {
        long before = Weft.stats().kernelsLaunched();
        r.run();
        return Weft.stats().kernelsLaunched() - before;
    }

    @Test
    void twoByNTensorIsTwoNodesOverN() {
        Tensor t = Tensor.arange(DType.F32, 8);
        Tensor p = Tensor.meshgrid(t, t);
        assertEquals(2, p.value.nodes().length);
        assertEquals(64, p.value.nodes()[0].size());
        assertEquals(64, p.value.nodes()[1].size());
    }

    @Test
    void tensorWithMoreThan1024ComponentsIsOneFlatNode() {
        Tensor t = Tensor.arange(DType.F32, 1025 * 2048).reshape(1025, 2048).add(1);
        assertEquals(1, t.value.nodes().length);
        assertEquals(1025 * 2048, t.value.nodes()[0].size());
        Tensor most = Tensor.arange(DType.F32, 1024 * 2048).reshape(1024, 2048).add(1);
        assertEquals(1024, most.value.nodes().length);
        assertEquals(2048, most.value.nodes()[0].size());
    }

    @Test
    void tensorWithFewerLanesThanComponentsIsOneFlatNode() {
        // data written [batch, features] (or a column) is one node over all elements, not a node per row
        for (long[] shape : new long[][] {{512, 1}, {64, 3}, {3, 1}, {17, 16}}) {
            Tensor t = Tensor.arange(DType.F32, shape[0] * shape[1]).reshape(shape).mul(2);
            assertEquals(1, t.value.nodes().length, Shapes.str(shape));
            assertEquals(shape[0] * shape[1], t.value.nodes()[0].size(), Shapes.str(shape));
        }
        // as many lanes as components or more: a node per component
        for (long[] shape : new long[][] {{3, 64}, {16, 16}, {2, 2}}) {
            Tensor t = Tensor.arange(DType.F32, shape[0] * shape[1]).reshape(shape).mul(2);
            assertEquals(shape[0], t.value.nodes().length, Shapes.str(shape));
            assertEquals(shape[1], t.value.nodes()[0].size(), Shapes.str(shape));
        }
    }

    @Test
    void squaredNormOverLeadingAxisAddsComponentsWithoutReductionKernel() {
        Tensor x = Tensor.arange(DType.F32, 16).div(16);
        Tensor p = Tensor.meshgrid(x, x); // [2, 256]
        Tensor norm = p.squaredNorm(0);
        assertNull(norm.value.backing(), "no buffer: the sum over components is a node, not a reduction");
        assertEquals(Op.ADD, norm.value.nodes()[0].op());
        assertEquals(1, launches(norm::eval), "one kernel computes the norms, none reduces");
        float[] v = norm.toFloatArray();
        for (int i = 0; i < 256; i++) {
            double a = (i % 16) / 16.0;
            double b = (i / 16) / 16.0;
            assertEquals((float) (a * a + b * b), v[i], 0.0f, "lane " + i);
        }
    }

    @Test
    void evaluatingThreeByNIsOneKernel() {
        Tensor t = Tensor.arange(DType.F32, 1000);
        Tensor img = Tensor.stack(t.mul(2), t.add(1), t.sub(3));
        assertEquals(3, img.value.nodes().length);
        assertEquals(1, launches(img::eval));
        float[] v = img.toFloatArray();
        assertEquals(2 * 999, v[999]);
        assertEquals(1000, v[1999]);
        assertEquals(996, v[2999]);
    }

    @Test
    void laneSumFusesIntoTheKernelComputingItsInput() {
        Tensor x = Tensor.arange(DType.F32, 4096).mul(0.5);
        assertEquals(1, launches(() -> x.sum().item()));
        assertEquals(0.5 * 4095 * 4096 / 2, x.sum().item());
    }

    @Test
    void stackingOneDimensionalTensorsListsTheirNodes() {
        Tensor a = Tensor.arange(DType.F32, 5);
        Tensor b = a.mul(3);
        Tensor s = Tensor.stack(a, b);
        assertSame(a.value.nodes()[0], s.value.nodes()[0]);
        assertSame(b.value.nodes()[0], s.value.nodes()[1]);
    }

    @Test
    void selectingAComponentReusesItsNode() {
        Tensor t = Tensor.arange(DType.F32, 6);
        Tensor p = Tensor.meshgrid(t, t);
        assertSame(p.value.nodes()[1], p.get(1).value.nodes()[0]);
        assertEquals(0, launches(() -> p.get(1)));
    }

    @Test
    void slicingLanesOfALazyTensorRecomputesWithoutMaterializing() {
        Tensor t = Tensor.arange(DType.F32, 100).mul(2);
        Tensor s = t.slice(0, 10, 13);
        assertNull(t.value.backing());
        assertEquals(1, launches(s::eval));
        assertArrayEquals(new float[] {20, 22, 24}, s.toFloatArray());
        assertNull(t.value.backing(), "the source was never evaluated");
    }

    @Test
    void broadcastRowIsSharedAcrossComponents() {
        Tensor row = Tensor.arange(DType.F32, 4); // [4]
        Tensor col = Tensor.of(new float[] {10, 20, 30}, 3, 1); // [3, 1]
        Tensor sum = row.add(col); // [3, 4]
        assertEquals(3, sum.value.nodes().length);
        assertArrayEquals(new float[] {10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33}, sum.toFloatArray());
    }
}
