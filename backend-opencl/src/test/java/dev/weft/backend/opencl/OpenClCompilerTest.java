package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.KernelCompileException;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Builds: many kernels as one program, the cache (counted in {@code clBuildProgram} calls), the
 * errors of sources that do not build, and the arithmetic the build options promise
 * (correctly rounded F32 division and square root, no contraction).
 */
class OpenClCompilerTest {
    /** {@code out[i] = in[i] <op> c} for lanes below the count in word 0; helpers shared through an include guard. */
    private static OpenClSource scale(String entry, String op, float c) {
        return new OpenClSource(entry, """
                #ifndef WEFT_TEST_LANE
                #define WEFT_TEST_LANE
                static inline bool weft_test_live(__constant ulong* p) { return get_global_id(0) < p[0]; }
                #endif
                __kernel void %s(__constant ulong* weft_params, __global const float* in, __global float* out) {
                    if (weft_test_live(weft_params)) {
                        out[get_global_id(0)] = in[get_global_id(0)] %s %sf;
                    }
                }
                """.formatted(entry, op, Float.toString(c)), 16);
    }

    @Test
    void kernelsBuiltTogetherAreOneProgramAndEachRuns() {
        try (OpenClBackend b = OpenClTesting.fresh()) {
            List<OpenClKernel> kernels = b.buildAll(List.of(scale("weft_t_add", "+", 1.5f), scale("weft_t_mul", "*", 3f),
                    scale("weft_t_sub", "-", 0.25f), scale("weft_t_div", "/", 7f)));
            assertEquals(1, b.programBuilds());
            float[] in = OpenClLaunchTest.values(100, 9);
            assertResults(b, kernels.get(0), in, x -> x + 1.5f);
            assertResults(b, kernels.get(1), in, x -> x * 3f);
            assertResults(b, kernels.get(2), in, x -> x - 0.25f);
            assertResults(b, kernels.get(3), in, x -> x / 7f);
        }
    }

    @Test
    void theCacheBuildsEachSourceOnceAndOnlyTheNewOnesOfABatch() {
        try (OpenClBackend b = OpenClTesting.fresh()) {
            OpenClKernel add = b.build(scale("weft_t_add", "+", 1.5f));
            assertEquals(1, b.programBuilds());
            assertSame(add, b.build(scale("weft_t_add", "+", 1.5f)));
            assertEquals(1, b.programBuilds());
            List<OpenClKernel> batch = b.buildAll(List.of(scale("weft_t_mul", "*", 2f), scale("weft_t_add", "+", 1.5f),
                    scale("weft_t_mul", "*", 2f), scale("weft_t_neg", "*", -1f)));
            assertEquals(2, b.programBuilds(), "the two new kernels in one program");
            assertSame(add, batch.get(1));
            assertSame(batch.get(0), batch.get(2), "equal sources in one batch are one kernel");
            b.buildAll(List.of(scale("weft_t_neg", "*", -1f), scale("weft_t_mul", "*", 2f)));
            assertEquals(2, b.programBuilds(), "all cached");
            assertResults(b, batch.get(3), OpenClLaunchTest.values(40, 3), x -> x * -1f);
        }
    }

    @Test
    void aSourceThatDoesNotBuildRaisesKernelCompileExceptionWithSourceAndLog() {
        OpenClBackend b = OpenClTesting.backend();
        OpenClSource broken = new OpenClSource("weft_t_broken", """
                __kernel void weft_t_broken(__constant ulong* weft_params, __global float* out) {
                    out[0] = undeclared_variable_here;
                }
                """, 16);
        var e = assertThrows(KernelCompileException.class, () -> b.build(broken));
        assertTrue(e.source().contains("out[0] = undeclared_variable_here;"), e.source());
        assertTrue(e.source().startsWith("#pragma OPENCL FP_CONTRACT OFF"), e.source());
        assertTrue(e.log().contains("undeclared_variable_here"), e.log());
        assertTrue(e.getMessage().contains("weft_t_broken on opencl:0"), e.getMessage());
    }

    @Test
    void oneBrokenKernelInABatchIsNamedAndTheOthersAreBuilt() {
        try (OpenClBackend b = OpenClTesting.fresh()) {
            List<OpenClSource> batch = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                batch.add(scale("weft_t_k" + i, "+", i));
            }
            batch.add(3, new OpenClSource("weft_t_bad", "__kernel void weft_t_bad(__constant ulong* p) { syntax error }",
                    16));
            var e = assertThrows(KernelCompileException.class, () -> b.buildAll(batch));
            assertTrue(e.getMessage().contains("weft_t_bad"), e.getMessage());
            assertTrue(e.source().contains("syntax error") && !e.source().contains("weft_t_k2"),
                    "the exception carries the failing kernel's own program: " + e.source());
            int builds = b.programBuilds();
            assertTrue(builds <= 1 + 2 * 3, "bisected, not rebuilt one by one: " + builds);
            // the good kernels are in the cache: building them again costs nothing
            b.buildAll(batch.stream().filter(s -> !s.entry().equals("weft_t_bad")).toList());
            assertEquals(builds, b.programBuilds());
        }
    }

    @Test
    void sourcesMustDefineTheirEntryAndFitTheDevicesWorkGroups() {
        OpenClBackend b = OpenClTesting.backend();
        var missing = assertThrows(KernelCompileException.class, () -> b.build(new OpenClSource("weft_t_absent",
                "__kernel void weft_t_other(__constant ulong* p) { }", 16)));
        assertTrue(missing.log().contains("defines no __kernel named weft_t_absent"), missing.log());
        int tooLarge = (int) Math.min(Integer.MAX_VALUE, b.device().maxWorkGroupSize() * 2);
        var wide = assertThrows(KernelCompileException.class, () -> b.build(new OpenClSource("weft_t_wide",
                "__kernel void weft_t_wide(__constant ulong* p) { }", tooLarge)));
        assertTrue(wide.log().contains("written for work-groups of " + tooLarge), wide.log());
        var declared = assertThrows(KernelCompileException.class, () -> b.build(new OpenClSource("weft_t_declared",
                "__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void weft_t_declared(__constant ulong* p) { }",
                32)));
        assertTrue(declared.log().contains("declares reqd_work_group_size(64, 1, 1) but its OpenClSource says 32"),
                declared.log());
        var noBlock = assertThrows(KernelCompileException.class, () -> b.build(new OpenClSource("weft_t_noargs",
                "__kernel void weft_t_noargs(void) { }", 16)));
        assertTrue(noBlock.log().contains("argument 0 must be the parameter block"), noBlock.log());
    }

    @Test
    void differentSourcesWithOneEntryNameCannotBeBuiltTogether() {
        OpenClBackend b = OpenClTesting.backend();
        var e = assertThrows(IllegalArgumentException.class, () -> b.buildAll(List.of(scale("weft_t_same", "+", 1f),
                scale("weft_t_same", "+", 2f))));
        assertTrue(e.getMessage().contains("weft_t_same"), e.getMessage());
    }

    @Test
    void divisionAndSquareRootAreCorrectlyRoundedAndNothingIsContracted() {
        OpenClBackend b = OpenClTesting.backend();
        OpenClKernel k = b.build(new OpenClSource("weft_t_exact", """
                __kernel void weft_t_exact(__constant ulong* weft_params, __global const float* x, __global const float* y,
                                           __global const float* z, __global float* out) {
                    const ulong i = get_global_id(0);
                    if (i < weft_params[0]) {
                        out[3 * i] = x[i] / y[i];
                        out[3 * i + 1] = sqrt(fabs(x[i]));
                        out[3 * i + 2] = x[i] * y[i] + z[i];
                    }
                }
                """, 64));
        int n = 20_000;
        Random r = new Random(11);
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(r.nextInt() & 0x7FFF_FFFF | (r.nextBoolean() ? 0x8000_0000 : 0));
            y[i] = Float.intBitsToFloat(r.nextInt());
            // z close to -x*y, where a fused multiply-add would keep bits that two roundings lose
            z[i] = -(x[i] * y[i]) * (1 + 0x1p-20f * r.nextInt(8));
        }
        BufferHandle[] h = {b.alloc(DType.F32, n), b.alloc(DType.F32, n), b.alloc(DType.F32, n), b.alloc(DType.F32, 3L * n)};
        b.copyIn(h[0], 0, MemorySegment.ofArray(x));
        b.copyIn(h[1], 0, MemorySegment.ofArray(y));
        b.copyIn(h[2], 0, MemorySegment.ofArray(z));
        b.launch(k, h, new long[] {n}, n);
        float[] out = new float[3 * n];
        b.copyOut(h[3], 0, MemorySegment.ofArray(out));
        int fusedWouldDiffer = 0;
        for (int i = 0; i < n; i++) {
            assertSameFloat(x[i] / y[i], out[3 * i], "x / y", x[i], y[i]);
            assertSameFloat((float) Math.sqrt(Math.abs(x[i])), out[3 * i + 1], "sqrt", x[i], 0);
            assertSameFloat(x[i] * y[i] + z[i], out[3 * i + 2], "x * y + z", x[i], y[i]);
            if (Float.floatToIntBits(Math.fma(x[i], y[i], z[i])) != Float.floatToIntBits(x[i] * y[i] + z[i])) {
                fusedWouldDiffer++;
            }
        }
        assertTrue(fusedWouldDiffer > n / 10, "the inputs must tell fused from unfused: " + fusedWouldDiffer);
        for (BufferHandle handle : h) {
            b.free(handle);
        }
    }

    private static void assertSameFloat(float expected, float got, String what, float x, float y) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(got)) {
            throw new AssertionError(String.format("%s for x=%s (%08x), y=%s: expected %s (%08x), got %s (%08x)", what, x,
                    Float.floatToRawIntBits(x), y, expected, Float.floatToRawIntBits(expected), got,
                    Float.floatToRawIntBits(got)));
        }
    }

    private static void assertResults(OpenClBackend b, OpenClKernel k, float[] in, FloatOp op) {
        int n = in.length;
        BufferHandle src = b.alloc(DType.F32, n);
        BufferHandle dst = b.alloc(DType.F32, n);
        b.copyIn(src, 0, MemorySegment.ofArray(in));
        b.launch(k, new BufferHandle[] {src, dst}, new long[] {n}, n);
        float[] out = new float[n];
        b.copyOut(dst, 0, MemorySegment.ofArray(out));
        for (int i = 0; i < n; i++) {
            assertSameFloat(op.apply(in[i]), out[i], k.entry(), in[i], 0);
        }
        b.free(src);
        b.free(dst);
    }

    private interface FloatOp {
        float apply(float x);
    }
}
