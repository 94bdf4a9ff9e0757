package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Texture2.FilterMode;
import dev.weft.Texture2.WrapMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * reference-semantics.md §7: bilinear and nearest lookups, the three wrap modes, the texel
 * layout and the output layout. Expected values are worked by hand or come from the
 * double-precision implementation below, written from the document and independent of the
 * traced one (its mirror rule, for instance, uses a period of 2·res instead of the document's
 * period index).
 */
class Texture2Test {

    // ------------------------------------------------------------ double-precision reference

    private static int wrapRef(WrapMode mode, long i, int res) {
        return switch (mode) {
            case CLAMP -> (int) Math.clamp(i, 0, res - 1);
            case REPEAT -> (int) Math.floorMod(i, res);
            case MIRROR -> {
                long m = Math.floorMod(i, 2L * res);
                yield (int) (m < res ? m : 2L * res - 1 - m);
            }
        };
    }

    /** Channel {@code ch} of the texture at {@code (px, py)}, bilinear, in double precision. */
    private static double linearRef(float[] t, int h, int w, int c, WrapMode mode, double px, double py, int ch) {
        double ux = px * w - 0.5;
        double uy = py * h - 0.5;
        long x0 = (long) Math.floor(ux);
        long y0 = (long) Math.floor(uy);
        double fx = ux - x0;
        double fy = uy - y0;
        double sum = 0;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int x = wrapRef(mode, x0 + dx, w);
                int y = wrapRef(mode, y0 + dy, h);
                double weight = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                sum += weight * t[(y * w + x) * c + ch];
            }
        }
        return sum;
    }

    private static float[] randomFloats(long seed, int n, double lo, double hi) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return out;
    }

    // ------------------------------------------------------------ worked examples

    @Test
    void oneDimensionalRepeatExampleOfTheReference() {
        // values (3, 5, 8) as a 1x3 texture; x = 1/24 + 0.375 gives u = 0.75: 0.25*3 + 0.75*5
        Texture2 tex = new Texture2(Tensor.of(new float[] {3, 5, 8}, 1, 3, 1), FilterMode.LINEAR, WrapMode.REPEAT);
        Tensor p = Tensor.of(new float[] {(float) (1.0 / 24 + 0.375), 0.5f}, 2, 1);
        Tensor v = tex.eval(p);
        assertArrayEquals(new long[] {1, 1}, v.shape());
        assertEquals(4.5f, v.toFloatArray()[0], 1e-6f);
    }

    @Test
    void classExampleGivesTheDocumentedValues() {
        // (0.5, 0.5) is the centre of a 2x2 image: the mean 1.5; (0.25, 0.75) is the centre of texel (0, 1): 2
        Texture2 tex = new Texture2(Tensor.of(new float[] {0, 1, 2, 3}, 2, 2, 1));
        Tensor v = tex.eval(Tensor.of(new float[] {0.5f, 0.25f, 0.5f, 0.75f}, 2, 2));
        assertArrayEquals(new float[] {1.5f, 2f}, v.toFloatArray(), 0f);
    }

    @Test
    void clampRepeatsTheBorderTexel() {
        Texture2 tex = new Texture2(Tensor.of(new float[] {0, 1}, 1, 2, 1));
        float[] xs = {-0.5f, 0f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 1f, 1.5f};
        float[] p = new float[2 * xs.length];
        System.arraycopy(xs, 0, p, 0, xs.length);
        java.util.Arrays.fill(p, xs.length, p.length, 0.5f);
        float[] v = tex.eval(Tensor.of(p, 2, xs.length)).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, 0, 0.5f, 1, 1, 1, 1}, v, 0f);
    }

    @Test
    void xIndexesTheWidthAndYTheHeight() {
        // 2 rows x 3 columns, value = 10 * row + column; nearest lookups at texel centres
        float[] img = {0, 1, 2, 10, 11, 12};
        Texture2 tex = new Texture2(Tensor.of(img, 2, 3, 1), FilterMode.NEAREST, WrapMode.CLAMP);
        float[] p = {1 / 6f, 5 / 6f, 5 / 6f, 0.25f, 0.25f, 0.75f}; // (x, y) = (0,0), (2,0), (2,1)
        assertArrayEquals(new float[] {0, 2, 12}, tex.eval(Tensor.of(p, 2, 3)).toFloatArray(), 0f);
        assertEquals(3, tex.width());
        assertEquals(2, tex.height());
        assertEquals(1, tex.channels());
    }

    @Test
    void multiChannelTexelsAreInterleavedAndChannelsBecomeRows() {
        int h = 3;
        int w = 4;
        int c = 3;
        float[] img = new float[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    img[(y * w + x) * c + ch] = 100 * y + 10 * x + ch;
                }
            }
        }
        Texture2 tex = new Texture2(Tensor.of(img, h, w, c), FilterMode.NEAREST, WrapMode.CLAMP);
        int n = h * w;
        float[] p = new float[2 * n];
        for (int i = 0; i < n; i++) {
            p[i] = (i % w + 0.5f) / w;
            p[n + i] = (i / w + 0.5f) / h;
        }
        Tensor v = tex.eval(Tensor.of(p, 2, n));
        assertArrayEquals(new long[] {c, n}, v.shape());
        float[] got = v.toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                assertEquals(100 * (i / w) + 10 * (i % w) + ch, got[ch * n + i], 0f, "channel " + ch + " lane " + i);
            }
        }
    }

    // ------------------------------------------------------------ against the reference

    @Test
    void bilinearMatchesTheReferenceInEveryWrapModeOutsideTheUnitSquare() {
        int h = 5;
        int w = 7;
        int c = 3;
        float[] img = randomFloats(1, h * w * c, -1, 1);
        int n = 1031;
        float[] p = randomFloats(2, 2 * n, -1.5, 2.5);
        for (WrapMode mode : WrapMode.values()) {
            Texture2 tex = new Texture2(Tensor.of(img, h, w, c), FilterMode.LINEAR, mode);
            float[] got = tex.eval(Tensor.of(p, 2, n)).toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < n; i++) {
                    double e = linearRef(img, h, w, c, mode, p[i], p[n + i], ch);
                    assertEquals(e, got[ch * n + i], 2e-5, mode + " channel " + ch + " at (" + p[i] + ", " + p[n + i] + ")");
                }
            }
        }
    }

    @Test
    void mirrorAndRepeatDifferFromClampBeyondTheEdges() {
        // guards the test above against wrap modes that all collapse to one behaviour
        float[] img = {1, 2, 3, 4};
        float[] p = {-0.6f, 1.6f, 0.5f, 0.5f}; // u = -2.9 and 5.9 on a 4-wide row
        float[] clamp = new Texture2(Tensor.of(img, 1, 4, 1), FilterMode.NEAREST, WrapMode.CLAMP)
                .eval(Tensor.of(p, 2, 2)).toFloatArray();
        float[] repeat = new Texture2(Tensor.of(img, 1, 4, 1), FilterMode.NEAREST, WrapMode.REPEAT)
                .eval(Tensor.of(p, 2, 2)).toFloatArray();
        float[] mirror = new Texture2(Tensor.of(img, 1, 4, 1), FilterMode.NEAREST, WrapMode.MIRROR)
                .eval(Tensor.of(p, 2, 2)).toFloatArray();
        // floor(-2.4) = -3, floor(6.4) = 6
        assertArrayEquals(new float[] {1, 4}, clamp, 0f);
        assertArrayEquals(new float[] {2, 3}, repeat, 0f); // -3 mod 4 = 1, 6 mod 4 = 2
        assertArrayEquals(new float[] {3, 2}, mirror, 0f); // -3 -> 2, 6 -> 1
    }

    @Test
    void nearestMatchesTheReferenceInEveryWrapMode() {
        int h = 4;
        int w = 9;
        int c = 2;
        float[] img = randomFloats(3, h * w * c, 0, 1);
        int n = 1000;
        float[] p = randomFloats(4, 2 * n, -2, 3);
        for (WrapMode mode : WrapMode.values()) {
            Texture2 tex = new Texture2(Tensor.of(img, h, w, c), FilterMode.NEAREST, mode);
            float[] got = tex.eval(Tensor.of(p, 2, n)).toFloatArray();
            for (int i = 0; i < n; i++) {
                int x = wrapRef(mode, (long) Math.floor(p[i] * w), w); // F32 product, as in the texture
                int y = wrapRef(mode, (long) Math.floor(p[n + i] * h), h);
                for (int ch = 0; ch < c; ch++) {
                    assertEquals(img[(y * w + x) * c + ch], got[ch * n + i], 0f, mode + " lane " + i);
                }
            }
        }
    }

    @Test
    void oneLaneAndOddLaneCountsWork() {
        float[] img = randomFloats(5, 6 * 5 * 2, 0, 1);
        for (int n : new int[] {1, 1000, 1031}) {
            float[] p = randomFloats(6 + n, 2 * n, 0, 1);
            Tensor v = new Texture2(Tensor.of(img, 6, 5, 2)).eval(Tensor.of(p, 2, n));
            assertArrayEquals(new long[] {2, n}, v.shape());
            float[] got = v.toFloatArray();
            for (int i = 0; i < n; i += Math.max(1, n / 97)) {
                for (int ch = 0; ch < 2; ch++) {
                    double e = linearRef(img, 6, 5, 2, WrapMode.CLAMP, p[i], p[n + i], ch);
                    assertEquals(e, got[ch * n + i], 1e-5, "n = " + n + " lane " + i);
                }
            }
        }
    }

    @Test
    void resultFollowsThePositionsPrecision() {
        float[] img = randomFloats(7, 3 * 4 * 1, 0, 1);
        Texture2 tex = new Texture2(Tensor.of(img, 3, 4, 1));
        int n = 257;
        float[] p = randomFloats(8, 2 * n, 0, 1);

        Tensor half = tex.eval(Tensor.of(p, 2, n).to(DType.F16));
        assertEquals(DType.F16, half.dtype());
        float[] h = half.toFloatArray();
        double[] d = tex.eval(Tensor.of(p, 2, n).to(DType.F64)).toDoubleArray();
        for (int i = 0; i < n; i++) {
            float hx = Float.float16ToFloat(Float.floatToFloat16(p[i]));
            float hy = Float.float16ToFloat(Float.floatToFloat16(p[n + i]));
            assertEquals(linearRef(img, 3, 4, 1, WrapMode.CLAMP, hx, hy, 0), h[i], 1e-2, "F16 lane " + i);
            assertEquals(linearRef(img, 3, 4, 1, WrapMode.CLAMP, p[i], p[n + i], 0), d[i], 1e-7, "F64 lane " + i);
        }
        assertEquals(DType.F32, tex.eval(Tensor.of(p, 2, n)).dtype());
    }

    // ------------------------------------------------------------ derivatives

    @Test
    void gradientsReachTexelsAndPositions() {
        // §7 example: u = 0.75 between texels 3 and 5 of (3, 5, 8): d out / d texels = (0.25, 0.75, 0);
        // d out / d x = W * (5 - 3) = 6; y sits on the single row's centre, where both corners are row 0: 0
        Tensor texels = Tensor.of(new float[] {3, 5, 8}, 1, 3, 1).requiresGrad(true);
        Tensor p = Tensor.of(new float[] {(float) (1.0 / 24 + 0.375), 0.5f}, 2, 1).requiresGrad(true);
        Texture2 tex = new Texture2(texels, FilterMode.LINEAR, WrapMode.REPEAT);
        tex.eval(p).backward();
        assertArrayEquals(new float[] {0.25f, 0.75f, 0}, texels.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {6, 0}, p.grad().toFloatArray(), 1e-5f);
    }

    // ------------------------------------------------------------ fusion

    @Test
    void lossOverRandomPositionsIsOneKernel() {
        int th = 16;
        int tw = 24;
        float[] img = randomFloats(9, th * tw * 3, 0, 1);
        Texture2 tex = new Texture2(Tensor.of(img, th, tw, 3));
        int res = 40;
        int n = res * res;
        Tensor t = Tensor.arange(DType.F32, res);
        Tensor p = Tensor.meshgrid(t, t).add(Rng.seed(0).random(DType.F32, 2, n)).div(res);
        Tensor target = Tensor.stack(p.get(0), p.get(1), p.get(0).mul(p.get(1)));

        long before = Weft.stats().kernelsLaunched();
        double loss = tex.eval(p).sub(target).squaredNorm(0).sum().item();
        assertEquals(1, Weft.stats().kernelsLaunched() - before, "draw, lookups, loss and sum in one kernel");

        float[] pos = p.toFloatArray();
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double x = pos[i];
            double y = pos[n + i];
            double[] want = {x, y, (float) ((float) x * (float) y)};
            for (int ch = 0; ch < 3; ch++) {
                double diff = linearRef(img, th, tw, 3, WrapMode.CLAMP, x, y, ch) - want[ch];
                expected += diff * diff;
            }
        }
        assertEquals(expected, loss, 1e-4 * expected);
    }

    @Test
    void aLazyTextureIsEvaluatedOnceAndKeptAsGiven() {
        Tensor lazy = Tensor.of(new float[] {0, 2, 4, 6}, 2, 2, 1).mul(0.5);
        Texture2 tex = new Texture2(lazy);
        assertSame(lazy, tex.value());
        Tensor p = Tensor.of(new float[] {0.25f, 0.75f, 0.25f, 0.75f}, 2, 2);
        assertArrayEquals(new float[] {0, 3}, tex.eval(p).toFloatArray(), 0f);
        long before = Weft.stats().kernelsLaunched();
        assertArrayEquals(new float[] {0, 3}, tex.eval(p).toFloatArray(), 0f);
        assertEquals(1, Weft.stats().kernelsLaunched() - before, "the texels are not recomputed");
    }

    @Test
    void defaultsAreBilinearAndClamp() {
        Texture2 tex = new Texture2(Tensor.zeros(DType.F32, 2, 3, 4));
        assertEquals(FilterMode.LINEAR, tex.filterMode());
        assertEquals(WrapMode.CLAMP, tex.wrapMode());
        assertEquals("Texture2[2x3x4, LINEAR, CLAMP]", tex.toString());
    }

    // ------------------------------------------------------------ bad input

    private static void fails(Executable call, String... fragments) {
        long launched = Weft.stats().kernelsLaunched();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(launched, Weft.stats().kernelsLaunched(), "nothing may run before the error");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void texelsMustBeANonEmptyFloatHwcTensor() {
        fails(() -> new Texture2(Tensor.zeros(DType.F32, 4, 4)), "new Texture2()", "[4, 4]", "[H, W, C]");
        fails(() -> new Texture2(Tensor.zeros(DType.F32, 4, 0, 3)), "[4, 0, 3]", "empty");
        fails(() -> new Texture2(Tensor.zeros(DType.I32, 2, 2, 1)), "I32", "to(DType.F32)");
    }

    @Test
    void positionsMustBeFloatTwoByN() {
        Texture2 tex = new Texture2(Tensor.zeros(DType.F32, 2, 2, 1));
        fails(() -> tex.eval(Tensor.zeros(DType.F32, 3, 5)), "Texture2.eval()", "[3, 5]", "[2, N]");
        fails(() -> tex.eval(Tensor.zeros(DType.F32, 10)), "[10]", "reshape(2, -1)");
        fails(() -> tex.eval(Tensor.zeros(DType.I32, 2, 5)), "I32", "to(DType.F32)");
    }
}
