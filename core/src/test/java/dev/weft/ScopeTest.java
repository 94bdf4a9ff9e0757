package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DESIGN.md "Errors, memory, configuration": scopes free a step's temporaries deterministically. */
class ScopeTest {
    private final Device device = Device.defaultDevice();

    @Test
    void temporariesAreFreedWhenTheScopeCloses() {
        long before = device.memory().bytesInUse();
        Tensor temp;
        try (Weft.MemoryScope s = Weft.scope()) {
            temp = Tensor.arange(DType.F32, 1000).mul(2).eval();
            assertEquals(before + 4000, device.memory().bytesInUse());
        }
        assertEquals(before, device.memory().bytesInUse());
        IllegalStateException e = assertThrows(IllegalStateException.class, temp::toFloatArray);
        assertTrue(e.getMessage().contains("scope.keep(t)"), e.getMessage());
    }

    @Test
    void keptTensorSurvivesAndIsEvaluated() {
        Tensor kept;
        try (Weft.MemoryScope s = Weft.scope()) {
            Tensor x = Tensor.arange(DType.F32, 10);
            kept = s.keep(x.mul(x).add(1));
        }
        assertEquals(82, kept.toFloatArray()[9]);
    }

    @Test
    void valueHeldByAParameterSurvives() {
        Parameter p = new Parameter(Tensor.zeros(DType.F32, 3));
        try (Weft.MemoryScope s = Weft.scope()) {
            p.set(Tensor.of(new float[] {1, 2, 3}).mul(10));
        }
        assertArrayEquals(new float[] {10, 20, 30}, p.get().toFloatArray());
    }

    @Test
    @SuppressWarnings("try") // the scope is held for its effect
    void aSurvivorTracedFromAPendingValueRunsInItsKernel() {
        Parameter cell = new Parameter(Tensor.zeros(DType.F32, 64).eval());
        long before;
        try (var s = Weft.scope()) {
            Tensor x = Tensor.arange(DType.F32, 64).mul(2).schedule(); // pending, dies with the scope
            cell.set(x.add(1));                                        // held by the cell: survives
            before = Weft.stats().kernelsLaunched();
        }
        assertEquals(1, Weft.stats().kernelsLaunched() - before, "one evaluation at close: the store and the survivor");
        assertEquals(127, cell.get().toFloatArray()[63]);
    }

    @Test
    void tensorsMadeBeforeTheScopeAreUntouchedEvenIfEvaluatedInside() {
        Tensor outer = Tensor.arange(DType.F32, 5).mul(3);
        try (Weft.MemoryScope s = Weft.scope()) {
            outer.eval();
            Tensor.arange(DType.F32, 5).add(outer).eval();
        }
        assertArrayEquals(new float[] {0, 3, 6, 9, 12}, outer.toFloatArray());
    }

    @Test
    void survivorOfAnInnerScopeIsFreedByTheOuterOne() {
        Tensor inner;
        try (Weft.MemoryScope outer = Weft.scope()) {
            try (Weft.MemoryScope s = Weft.scope()) {
                inner = s.keep(Tensor.ones(DType.F32, 4).mul(2));
            }
            assertArrayEquals(new float[] {2, 2, 2, 2}, inner.toFloatArray());
        }
        assertThrows(IllegalStateException.class, inner::toFloatArray);
    }

    @Test
    void pendingSideEffectsRunBeforeTheScopeFreesTheirBuffers() {
        Tensor total;
        try (Weft.MemoryScope s = Weft.scope()) {
            Tensor x = Tensor.arange(DType.F32, 100);
            total = s.keep(x.sum());
        }
        assertEquals(4950, total.item());
    }

    @Test
    void closingScopesOutOfOrderIsAnError() {
        Weft.MemoryScope outer = Weft.scope();
        Weft.MemoryScope inner = Weft.scope();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void closeIsIdempotent() {
        Weft.MemoryScope s = Weft.scope();
        s.close();
        s.close();
    }
}
