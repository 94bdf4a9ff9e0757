package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-written OpenCL C built and launched through the runtime's own path: the parameter block
 * (values of several types in 64-bit words, re-set only when they change), buffer arguments,
 * ranges that are not a multiple of the work-group, and the SPI's {@code launch(Program, ...)}
 * for a core kernel, against the reference backend. Expected values are host arithmetic in
 * Java, which rounds every operation as OpenCL C must with contraction off.
 */
class OpenClLaunchTest {
    /** out32 = fma(a, x, y); out64 = x * scale + (lane + shift) in double; out16 = x rounded to half. */
    static final OpenClSource MIXED = new OpenClSource("weft_test_mixed", """
            __kernel void weft_test_mixed(__constant ulong* weft_params, __global const float* x,
                                          __global const float* y, __global float* out32, __global double* out64,
                                          __global half* out16) {
                const ulong lane = get_global_id(0);
                if (lane < weft_params[0]) {
                    const float a = as_float((uint) weft_params[1]);
                    const long shift = (long) weft_params[2];
                    const double scale = as_double(weft_params[3]);
                    out32[lane] = fma(a, x[lane], y[lane]);
                    out64[lane] = (double) x[lane] * scale + (double) ((long) lane + shift);
                    vstore_half_rte(x[lane], lane, out16);
                }
            }
            """, 64);

    @Test
    void aKernelReadsEveryParameterTypeFromTheBlockAndCoversAnOddRange() {
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(MIXED);
        int n = 1000; // 15 full groups of 64 and a partial one
        float[] x = values(n, 1);
        float[] y = values(n, 2);
        float a = -1.375f;
        long shift = -123_456_789_012L;
        double scale = 1.0 / 3;
        BufferHandle[] buffers = run(b, k, x, y, new long[] {n, Float.floatToRawIntBits(a) & 0xFFFF_FFFFL, shift,
            Double.doubleToRawLongBits(scale)});
        float[] out32 = new float[n];
        double[] out64 = new double[n];
        short[] out16 = new short[n];
        b.copyOut(buffers[2], 0, MemorySegment.ofArray(out32));
        b.copyOut(buffers[3], 0, MemorySegment.ofArray(out64));
        b.copyOut(buffers[4], 0, MemorySegment.ofArray(out16));
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(Math.fma(a, x[i], y[i])), Float.floatToRawIntBits(out32[i]), "out32 " + i);
            assertEquals(Double.doubleToRawLongBits((double) x[i] * scale + (double) (i + shift)),
                    Double.doubleToRawLongBits(out64[i]), "out64 " + i);
            if (Float.isNaN(x[i])) {
                // vstore_half keeps NaN payload bits where Java gives the canonical 0x7E00: any half NaN will do
                assertTrue(Float.isNaN(Float.float16ToFloat(out16[i])), "out16 " + i);
            } else {
                assertEquals(Float.floatToFloat16(x[i]), out16[i], "out16 " + i);
            }
        }
        free(b, buffers);
    }

    @Test
    void changedParametersAndBuffersReachTheNextLaunch() {
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(MIXED);
        int n = 130;
        float[] x = values(n, 3);
        float[] y = values(n, 4);
        BufferHandle[] first = run(b, k, x, y, words(n, 2f));
        BufferHandle[] second = run(b, k, y, x, words(n, 2f)); // same parameters, other buffers
        BufferHandle[] third = run(b, k, x, y, words(n - 10, 3f)); // new parameters: fewer lanes, another a
        float[] out = new float[n];
        b.copyOut(first[2], 0, MemorySegment.ofArray(out));
        assertEquals(Math.fma(2f, x[5], y[5]), out[5]);
        b.copyOut(second[2], 0, MemorySegment.ofArray(out));
        assertEquals(Math.fma(2f, y[5], x[5]), out[5]);
        b.copyOut(third[2], 0, MemorySegment.ofArray(out));
        assertEquals(Math.fma(3f, x[5], y[5]), out[5]);
        assertEquals(0f, out[n - 1], "lanes at or past the lane count are not written");
        free(b, first);
        free(b, second);
        free(b, third);
    }

    @Test
    void subnormalsSurviveArithmetic() {
        // DESIGN.md "Numbers": no flush-to-zero; 2^-140 * 0.5 + 0 is the subnormal 2^-141
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(MIXED);
        float tiny = 0x1p-140f;
        BufferHandle[] buffers = run(b, k, new float[] {tiny, Float.MIN_VALUE}, new float[] {0, Float.MIN_VALUE},
                words(2, 0.5f));
        float[] out = new float[2];
        b.copyOut(buffers[2], 0, MemorySegment.ofArray(out));
        assertEquals(0x1p-141f, out[0]);
        assertEquals(Math.fma(0.5f, Float.MIN_VALUE, Float.MIN_VALUE), out[1]);
        free(b, buffers);
    }

    @Test
    void aCoreKernelLaunchedThroughTheSpiGetsTheLaneCountThenItsParameters() {
        // out[lane] = x[lane] * p0 + y[lane], stored where lane < p1; written by hand as a renderer would
        Kernel kernel = new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, -1, -1, -1, -1, 0),
                new Kernel.Instr(Op.LOAD, DType.F32, 0, -1, -1, -1, 0),
                new Kernel.Instr(Op.PARAM, DType.F32, -1, -1, -1, -1, 0),
                new Kernel.Instr(Op.MUL, DType.F32, 1, 2, -1, -1, 0),
                new Kernel.Instr(Op.LOAD, DType.F32, 0, -1, -1, -1, 1),
                new Kernel.Instr(Op.ADD, DType.F32, 3, 4, -1, -1, 0),
                new Kernel.Instr(Op.LITERAL, DType.BOOL, -1, -1, -1, -1, 1),
                new Kernel.Instr(Op.PARAM, DType.I32, -1, -1, -1, -1, 1),
                new Kernel.Instr(Op.SCATTER, DType.F32, 0, 5, 6, 7, 2)),
                List.of(DType.F32, DType.F32, DType.F32), List.of(DType.F32, DType.I32));
        String text = """
                __kernel void %s(__constant ulong* weft_params, __global const float* s0, __global const float* s1,
                                 __global float* s2) {
                    if (get_global_id(0) < weft_params[0]) {
                        const int lane = (int) get_global_id(0);
                        const float v = s0[lane] * as_float((uint) weft_params[1]) + s1[lane];
                        if (lane >= 0 && lane < (int) weft_params[2]) {
                            s2[lane] = v;
                        }
                    }
                }
                """.formatted(kernel.name());
        OpenClBackend b = OpenClTesting.backend();
        Program program = new OpenClProgram(kernel, b.build(new OpenClSource(kernel.name(), text, 32)));
        Backend reference = new ReferenceProvider().open(0);
        int n = 77;
        long[] params = {Float.floatToRawIntBits(0.1f), 70};
        float[] x = values(n, 5);
        float[] y = values(n, 6);
        assertArrayEquals(launchSpi(reference, reference.compile(kernel), x, y, params, n),
                launchSpi(b, program, x, y, params, n));
    }

    @Test
    void launchesWithTheWrongArgumentsAreRejected() {
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(MIXED);
        BufferHandle one = b.alloc(DType.F32, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> b.launch(k, new BufferHandle[] {one}, new long[] {4}, 4));
        assertEquals("launch(): kernel weft_test_mixed takes 5 buffers, got 1", e.getMessage());
        long[] tooMany = new long[(int) (b.device().constantBufferBytes() / 8) + 1];
        BufferHandle[] five = {one, one, one, one, one};
        assertThrows(IllegalArgumentException.class, () -> b.launch(k, five, tooMany, 4));
        b.launch(k, five, new long[] {4}, 0); // nothing to run
        b.free(one);
        try (OpenClBackend other = OpenClTesting.fresh()) {
            BufferHandle[] theirs = new BufferHandle[5];
            for (int i = 0; i < 5; i++) {
                theirs[i] = other.alloc(DType.F32, 4);
            }
            var foreign = assertThrows(IllegalArgumentException.class, () -> other.launch(k, theirs, new long[] {4}, 4));
            assertTrue(foreign.getMessage().contains("was built on another device"), foreign.getMessage());
        }
    }

    @Test
    void aLaunchTheDriverRefusesNamesTheKernelAndTheOpenClError() {
        // a __local argument cannot take a buffer: the driver refuses the argument
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(new OpenClSource("weft_t_local", """
                __kernel void weft_t_local(__constant ulong* weft_params, __global float* out, __local float* scratch) {
                    scratch[get_local_id(0)] = 1;
                    out[get_global_id(0)] = scratch[get_local_id(0)];
                }
                """, 16));
        BufferHandle out = b.alloc(DType.F32, 16);
        var e = assertThrows(OpenClException.class, () -> b.launch(k, new BufferHandle[] {out, out}, new long[] {16}, 16));
        assertTrue(e.getMessage().startsWith("launch of kernel weft_t_local: setting buffer argument 2 on opencl:0"),
                e.getMessage());
        assertTrue(e.errorName().startsWith("CL_INVALID_ARG") && e.getMessage().contains(e.errorName()), e.getMessage());
        b.free(out);
    }

    @Test
    void aFailureAtAWaitNamesTheKernelsLaunchedSinceTheLastOne() {
        // OpenCL reports a lost device or a faulting kernel at the next wait, not at the launch;
        // the error then names every kernel queued since the last wait that succeeded
        try (OpenClBackend b = OpenClTesting.fresh()) {
            OpenClKernel k = b.build(MIXED);
            BufferHandle f32 = b.alloc(DType.F32, 64);
            BufferHandle f64 = b.alloc(DType.F64, 64);
            BufferHandle f16 = b.alloc(DType.F16, 64);
            BufferHandle[] buffers = {f32, f32, f32, f64, f16};
            b.launch(k, buffers, words(64, 1f), 64);
            b.synchronize();
            assertEquals("synchronize() on opencl:0 (%s) failed: CL_OUT_OF_RESOURCES (-5)".formatted(b.device().name()),
                    b.failure(-5, "synchronize()").getMessage().split(";")[0], "nothing pending after a wait");
            for (int i = 0; i < 10; i++) {
                b.launch(k, buffers, words(64, i), 64);
            }
            OpenClException e = b.failure(-5, "copyOut() of 64 F32 elements");
            assertEquals("CL_OUT_OF_RESOURCES", e.errorName());
            assertTrue(e.getMessage().contains("kernels launched since the last wait: weft_test_mixed, weft_test_mixed")
                    && e.getMessage().contains("(the last 8 of 10)"), e.getMessage());
        }
    }

    private static float[] launchSpi(Backend backend, Program program, float[] x, float[] y, long[] params, int n) {
        BufferHandle[] h = {backend.alloc(DType.F32, n), backend.alloc(DType.F32, n), backend.alloc(DType.F32, n)};
        backend.copyIn(h[0], 0, MemorySegment.ofArray(x));
        backend.copyIn(h[1], 0, MemorySegment.ofArray(y));
        backend.fill(h[2], 0, n, Float.floatToRawIntBits(-1f));
        backend.launch(program, h, params, n);
        float[] out = new float[n];
        backend.copyOut(h[2], 0, MemorySegment.ofArray(out));
        for (BufferHandle handle : h) {
            backend.free(handle);
        }
        return out;
    }

    /** Launches MIXED over the lane count in {@code words[0]}, on fresh buffers; returns them (x, y, out32, out64, out16). */
    private static BufferHandle[] run(OpenClBackend b, OpenClKernel k, float[] x, float[] y, long[] words) {
        int n = x.length;
        BufferHandle[] h = {b.alloc(DType.F32, n), b.alloc(DType.F32, n), b.alloc(DType.F32, n), b.alloc(DType.F64, n),
            b.alloc(DType.F16, n)};
        b.copyIn(h[0], 0, MemorySegment.ofArray(x));
        b.copyIn(h[1], 0, MemorySegment.ofArray(y));
        for (int i = 2; i < 5; i++) {
            b.fill(h[i], 0, n, 0);
        }
        b.launch(k, h, words, words[0]);
        return h;
    }

    private static long[] words(int n, float a) {
        return new long[] {n, Float.floatToRawIntBits(a) & 0xFFFF_FFFFL, 0, Double.doubleToRawLongBits(1)};
    }

    /** Gaussian floats with a sprinkling of subnormals, zeros of both signs, infinities and NaN. */
    static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        float[] special = {0f, -0f, Float.MIN_VALUE, -0x1p-130f, Float.POSITIVE_INFINITY, Float.NaN, 65504f, 1e-8f};
        for (int i = 0; i < n; i++) {
            v[i] = i % 17 == 0 ? special[(i / 17) % special.length] : (float) (r.nextGaussian() * 10);
        }
        return v;
    }

    private static void free(OpenClBackend b, BufferHandle[] buffers) {
        for (BufferHandle h : buffers) {
            b.free(h);
        }
    }
}
