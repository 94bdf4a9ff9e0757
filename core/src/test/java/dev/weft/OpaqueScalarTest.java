package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** DESIGN.md "Parameters of a kernel": opaque scalars are launch parameters, not compiled in. */
class OpaqueScalarTest {

    private static float[] scaled(double factor) {
        Tensor x = Tensor.arange(DType.F32, 37);
        return x.mul(Tensor.opaque(DType.F32, factor)).add(1).toFloatArray();
    }

    @Test
    void anotherOpaqueValueCompilesNothingNew() {
        scaled(0.5); // compiles once
        long compiled = Weft.stats().kernelsCompiled();
        float[] v = scaled(3.0);
        assertEquals(compiled, Weft.stats().kernelsCompiled(), "same program, other value: no compilation");
        for (int i = 0; i < 37; i++) {
            assertEquals((float) (i * 3.0 + 1), v[i]);
        }
    }

    @Test
    void anotherDomainSizeCompilesNothingNew() {
        Tensor.arange(DType.F32, 50).mul(2).toFloatArray();
        long compiled = Weft.stats().kernelsCompiled();
        float[] v = Tensor.arange(DType.F32, 77).mul(2).toFloatArray();
        assertEquals(compiled, Weft.stats().kernelsCompiled(), "N is a launch parameter");
        assertEquals(152, v[76]);
    }

    @Test
    void aJavaDoubleIsALiteralCompiledIntoTheKernel() {
        Tensor.arange(DType.F32, 8).mul(5.0).toFloatArray();
        long compiled = Weft.stats().kernelsCompiled();
        float[] v = Tensor.arange(DType.F32, 8).mul(7.0).toFloatArray();
        assertEquals(compiled + 1, Weft.stats().kernelsCompiled(), "a different literal is a different kernel");
        assertArrayEquals(new float[] {0, 7, 14, 21, 28, 35, 42, 49}, v);
    }

    @Test
    void opaqueScalarHasTheRequestedTypeAndValue() {
        Tensor s = Tensor.opaque(DType.I32, 42);
        assertEquals(DType.I32, s.dtype());
        assertEquals(0, s.rank());
        assertEquals(42, s.item());
    }

    @Test
    void trainingLikeLoopCompilesNothingAfterTheFirstStep() {
        Tensor w = Tensor.zeros(DType.F32, 64).eval();
        for (int step = 0; step < 5; step++) {
            long compiled = Weft.stats().kernelsCompiled();
            Tensor lr = Tensor.opaque(DType.F32, 0.1 / (step + 1));
            Tensor grad = Tensor.arange(DType.F32, 64).sub(w);
            w = w.add(grad.mul(lr)).eval();
            double loss = grad.squaredNorm(0).sum().item();
            if (step > 0) {
                assertEquals(compiled, Weft.stats().kernelsCompiled(), "step " + step + " compiled a kernel");
            }
            assertEquals(true, loss >= 0);
        }
    }
}
