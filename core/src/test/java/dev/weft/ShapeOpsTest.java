package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Creation, re-indexing and joining of tensors against arrays built by hand in row-major order.
 * Lengths such as 1025 and 1031 cross the reference interpreter's chunk of 1024 lanes and are
 * not multiples of a vector width; shapes with more than 1024 components exercise the flat form.
 */
class ShapeOpsTest {

    /** {@code [0, 1, ..., n-1]} as floats, built in Java. */
    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    /** Element {@code [i][j]} of a row-major matrix with {@code cols} columns. */
    private static float at(float[] m, int cols, int i, int j) {
        return m[i * cols + j];
    }

    // ---------------------------------------------------------------- creation

    @Test
    void arangeCountsFromZero() {
        Tensor t = Tensor.arange(DType.F32, 1031);
        assertArrayEquals(new long[] {1031}, t.shape());
        assertArrayEquals(iota(1031), t.toFloatArray());
    }

    @Test
    void arangeOfIntegers() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Tensor.arange(DType.I32, 5).toIntArray());
    }

    @Test
    void arangeOfZeroIsEmpty() {
        Tensor t = Tensor.arange(DType.F32, 0);
        assertArrayEquals(new long[] {0}, t.shape());
        assertArrayEquals(new float[0], t.toFloatArray());
    }

    @Test
    void arangeInF16RoundsCountsAbove2048ToEven() {
        // above 2048 the F16 spacing is 2: 2049 is a tie -> 2048 (even), 2051 -> 2052
        float[] v = Tensor.arange(DType.F16, 2052).toFloatArray();
        assertEquals(2047f, v[2047]);
        assertEquals(2048f, v[2048]);
        assertEquals(2048f, v[2049]);
        assertEquals(2050f, v[2050]);
        assertEquals(2052f, v[2051]);
    }

    @Test
    void linspaceEndsExactlyAtTo() {
        float[] v = Tensor.linspace(DType.F32, -1.3, 2.7, 1031).toFloatArray();
        assertEquals(1031, v.length);
        assertEquals((float) -1.3, v[0]);
        assertEquals((float) 2.7, v[1030]);
    }

    @Test
    void linspaceValuesAreComputedInDoubleAndRoundedOnce() {
        double from = -1.3;
        double to = 2.7;
        int n = 1031;
        float[] v = Tensor.linspace(DType.F32, from, to, n).toFloatArray();
        double step = (to - from) / (n - 1);
        for (int i = 0; i < n - 1; i++) {
            assertEquals((float) (from + i * step), v[i], "element " + i);
        }
    }

    @Test
    void linspaceInF64MatchesNumpysFormulaExactly() {
        // NumPy: arange(n) * step + start, in double, the last element replaced by stop
        double from = -0.1;
        double to = 0.7;
        int n = 97;
        double step = (to - from) / (n - 1);
        double[] v = Tensor.linspace(DType.F64, from, to, n).toDoubleArray();
        for (int i = 0; i < n - 1; i++) {
            assertEquals(i * step + from, v[i], 0.0, "element " + i);
        }
        assertEquals(to, v[n - 1], 0.0);
    }

    @Test
    void linspaceOfOneIsFrom() {
        assertArrayEquals(new float[] {0.25f}, Tensor.linspace(DType.F32, 0.25, 9, 1).toFloatArray());
    }

    @Test
    void linspaceOfZeroToOne() {
        // step 1/4: every value is exact
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensor.linspace(DType.F32, 0, 1, 5).toFloatArray());
    }

    @Test
    void linspaceInF16ThroughZeroHasNoNaN() {
        // -1 + 10 * 0.1 is 5.55e-17 in double arithmetic (not exactly 0): far below 2^-25, so F16 +0
        float[] v = Tensor.linspace(DType.F16, -1, 2, 31).toFloatArray();
        assertEquals(-1f, v[0]);
        assertEquals(0f, v[10], "element 10 of " + java.util.Arrays.toString(v));
        assertEquals(2f, v[30]);
        for (int i = 0; i < v.length; i++) {
            assertEquals(false, Float.isNaN(v[i]), "element " + i + " is NaN");
        }
    }

    @Test
    void fullFillsEveryElement() {
        Tensor t = Tensor.full(DType.F32, 2.5, 3, 1025);
        assertArrayEquals(new long[] {3, 1025}, t.shape());
        float[] expected = new float[3 * 1025];
        java.util.Arrays.fill(expected, 2.5f);
        assertArrayEquals(expected, t.toFloatArray());
    }

    @Test
    void fullOfIntegers() {
        assertArrayEquals(new int[] {-7, -7, -7, -7, -7, -7}, Tensor.full(DType.I32, -7, 2, 3).toIntArray());
    }

    @Test
    void fullOfFlatShape() {
        Tensor t = Tensor.full(DType.F32, -1.5, 1100, 2);
        float[] expected = new float[2200];
        java.util.Arrays.fill(expected, -1.5f);
        assertArrayEquals(expected, t.toFloatArray());
    }

    @Test
    void zerosAndOnes() {
        assertArrayEquals(new double[] {0, 0, 0, 0}, Tensor.zeros(DType.F64, 4).toDoubleArray());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, Tensor.ones(DType.I32, 3, 2).toIntArray());
        assertEquals(DType.F64, Tensor.zeros(DType.F64, 4).dtype());
    }

    @Test
    void meshgridVariesXFastest() {
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        Tensor y = Tensor.of(new float[] {10, 20});
        Tensor g = Tensor.meshgrid(x, y);
        assertArrayEquals(new long[] {2, 6}, g.shape());
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 10, 10, 10, 20, 20, 20}, g.toFloatArray());
    }

    @Test
    void meshgridOfLazyRangesAcrossChunks() {
        int nx = 41;
        int ny = 53; // 2173 lanes: three interpreter chunks
        Tensor g = Tensor.meshgrid(Tensor.arange(DType.F32, nx).mul(0.5), Tensor.arange(DType.F32, ny).sub(1));
        float[] expected = new float[2 * nx * ny];
        for (int k = 0; k < nx * ny; k++) {
            expected[k] = (k % nx) * 0.5f;
            expected[nx * ny + k] = k / nx - 1;
        }
        assertArrayEquals(expected, g.toFloatArray());
    }

    // ---------------------------------------------------------------- reshape and transpose

    @Test
    void reshapeInfersMinusOne() {
        Tensor t = Tensor.of(iota(24), 2, 3, 4).reshape(-1, 4);
        assertArrayEquals(new long[] {6, 4}, t.shape());
        assertArrayEquals(iota(24), t.toFloatArray());
    }

    @Test
    void reshapeOfLazyVectorToComponentForm() {
        Tensor t = Tensor.arange(DType.F32, 24).mul(2).reshape(2, -1, 4);
        assertArrayEquals(new long[] {2, 3, 4}, t.shape());
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++) {
            expected[i] = 2 * i;
        }
        assertArrayEquals(expected, t.toFloatArray());
        assertEquals(34f, t.get(1).get(1).toFloatArray()[1]); // [1][1][1] = 2 * (12 + 4 + 1)
    }

    @Test
    void reshapeFromComponentToFlatKeepsRowMajorOrder() {
        Tensor t = Tensor.arange(DType.F32, 2 * 1031).add(0.5).reshape(2, 1031); // 2 components
        Tensor flat = t.reshape(1031, 2); // 1031 components: flat
        assertArrayEquals(new long[] {1031, 2}, flat.shape());
        float[] expected = new float[2062];
        for (int i = 0; i < 2062; i++) {
            expected[i] = i + 0.5f;
        }
        assertArrayEquals(expected, flat.toFloatArray());
    }

    @Test
    void reshapeOfEvaluatedComponentTensorToFlat() {
        Tensor t = Tensor.of(iota(3 * 1025), 3, 1025).mul(3).eval();
        Tensor flat = t.reshape(-1, 3);
        assertArrayEquals(new long[] {1025, 3}, flat.shape());
        float[] expected = new float[3075];
        for (int i = 0; i < 3075; i++) {
            expected[i] = 3 * i;
        }
        assertArrayEquals(expected, flat.toFloatArray());
    }

    @Test
    void reshapeFromFlatToComponentForm() {
        Tensor flat = Tensor.of(iota(3000), 1500, 2).sub(1);
        Tensor t = flat.reshape(2, 1500);
        float[] expected = new float[3000];
        for (int i = 0; i < 3000; i++) {
            expected[i] = i - 1;
        }
        assertArrayEquals(expected, t.toFloatArray());
        assertEquals(1499f, t.get(1).toFloatArray()[0]); // element 1500 minus 1
    }

    @Test
    void transposeOfMatrixSwapsRowsAndColumns() {
        float[] a = iota(3 * 1025);
        Tensor t = Tensor.of(a, 3, 1025).transpose(); // [1025, 3]: flat
        assertArrayEquals(new long[] {1025, 3}, t.shape());
        float[] expected = new float[3 * 1025];
        for (int i = 0; i < 1025; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = at(a, 1025, j, i);
            }
        }
        assertArrayEquals(expected, t.toFloatArray());
    }

    @Test
    void transposeOfLazyMatrix() {
        Tensor m = Tensor.arange(DType.F32, 12).mul(-1).reshape(3, 4).transpose();
        assertArrayEquals(new long[] {4, 3}, m.shape());
        // element [i][j] of the result is -(4j + i)
        assertArrayEquals(new float[] {-0f, -4, -8, -1, -5, -9, -2, -6, -10, -3, -7, -11}, m.toFloatArray());
    }

    @Test
    void transposeOfFlatMatrixToComponentForm() {
        float[] a = iota(3000);
        Tensor t = Tensor.of(a, 1500, 2).transpose();
        assertArrayEquals(new long[] {2, 1500}, t.shape());
        float[] expected = new float[3000];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 1500; i++) {
                expected[j * 1500 + i] = at(a, 2, i, j);
            }
        }
        assertArrayEquals(expected, t.toFloatArray());
    }

    @Test
    void transposeOf3dReversesAxes() {
        float[] a = iota(24);
        Tensor t = Tensor.of(a, 2, 3, 4).transpose();
        assertArrayEquals(new long[] {4, 3, 2}, t.shape());
        float[] expected = new float[24];
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) {
                    expected[(k * 3 + j) * 2 + i] = a[(i * 3 + j) * 4 + k];
                }
            }
        }
        assertArrayEquals(expected, t.toFloatArray());
    }

    // ---------------------------------------------------------------- slice and get

    @Test
    void sliceAlongAxis0() {
        float[] a = iota(2 * 3 * 1031);
        Tensor s = Tensor.of(a, 2, 3, 1031).slice(0, 1, 2);
        assertArrayEquals(new long[] {1, 3, 1031}, s.shape());
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 3 * 1031, 6 * 1031), s.toFloatArray());
    }

    @Test
    void sliceAlongAxis1() {
        float[] a = iota(2 * 3 * 1031);
        Tensor s = Tensor.of(a, 2, 3, 1031).slice(1, 1, 3);
        assertArrayEquals(new long[] {2, 2, 1031}, s.shape());
        float[] expected = new float[2 * 2 * 1031];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 1031; k++) {
                    expected[(i * 2 + j) * 1031 + k] = a[(i * 3 + j + 1) * 1031 + k];
                }
            }
        }
        assertArrayEquals(expected, s.toFloatArray());
    }

    @Test
    void sliceAlongTheLaneAxis() {
        float[] a = iota(2 * 3 * 1031);
        Tensor s = Tensor.of(a, 2, 3, 1031).slice(2, 5, 1030); // 1025 lanes from lane 5
        assertArrayEquals(new long[] {2, 3, 1025}, s.shape());
        float[] expected = new float[6 * 1025];
        for (int c = 0; c < 6; c++) {
            for (int k = 0; k < 1025; k++) {
                expected[c * 1025 + k] = a[c * 1031 + 5 + k];
            }
        }
        assertArrayEquals(expected, s.toFloatArray());
    }

    @Test
    void sliceOfLazyExpressionAlongTheLaneAxis() {
        Tensor s = Tensor.arange(DType.F32, 3000).mul(0.5).slice(0, 1000, 2031);
        float[] expected = new float[1031];
        for (int k = 0; k < 1031; k++) {
            expected[k] = (1000 + k) * 0.5f;
        }
        assertArrayEquals(expected, s.toFloatArray());
    }

    @Test
    void sliceOfFlatTensorAlongEachAxis() {
        float[] a = iota(3000);
        Tensor t = Tensor.of(a, 1500, 2);
        Tensor rows = t.slice(0, 1000, 1500);
        assertArrayEquals(new long[] {500, 2}, rows.shape());
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 2000, 3000), rows.toFloatArray());
        Tensor col = t.slice(1, 1, 2);
        assertArrayEquals(new long[] {1500, 1}, col.shape());
        float[] expected = new float[1500];
        for (int i = 0; i < 1500; i++) {
            expected[i] = a[2 * i + 1];
        }
        assertArrayEquals(expected, col.toFloatArray());
    }

    @Test
    void emptySliceHasNoElements() {
        Tensor s = Tensor.of(iota(10)).slice(0, 4, 4);
        assertArrayEquals(new long[] {0}, s.shape());
        assertArrayEquals(new float[0], s.toFloatArray());
    }

    @Test
    void getDropsAxis0() {
        float[] a = iota(24);
        Tensor g = Tensor.of(a, 2, 3, 4).get(1);
        assertArrayEquals(new long[] {3, 4}, g.shape());
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 12, 24), g.toFloatArray());
    }

    @Test
    void getOfFlatTensorRow() {
        float[] a = iota(3000);
        Tensor g = Tensor.of(a, 1500, 2).get(1234);
        assertArrayEquals(new long[] {2}, g.shape());
        assertArrayEquals(new float[] {2468, 2469}, g.toFloatArray());
    }

    @Test
    void getOfVectorIsAScalar() {
        Tensor g = Tensor.of(new float[] {4, 5, 6, 7, 8}).get(3);
        assertArrayEquals(new long[0], g.shape());
        assertEquals(7.0, g.item());
    }

    // ---------------------------------------------------------------- concat and stack

    @Test
    void concatAlongAxis0() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {7, 8, 9}, 1, 3);
        Tensor c = Tensor.concat(0, a, b);
        assertArrayEquals(new long[] {3, 3}, c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, c.toFloatArray());
    }

    @Test
    void concatAlongTheLaneAxis() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {7, 8, 9, 10}, 2, 2);
        Tensor c = Tensor.concat(1, a, b);
        assertArrayEquals(new long[] {2, 5}, c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 7, 8, 4, 5, 6, 9, 10}, c.toFloatArray());
    }

    @Test
    void concatAlongTheLaneAxisAcrossChunks() {
        float[] a = iota(2 * 1025);
        Tensor c = Tensor.concat(1, Tensor.of(a, 2, 1025), Tensor.arange(DType.F32, 12).neg().reshape(2, 6));
        assertArrayEquals(new long[] {2, 1031}, c.shape());
        float[] expected = new float[2 * 1031];
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 1031; k++) {
                expected[r * 1031 + k] = k < 1025 ? a[r * 1025 + k] : -(float) (r * 6 + (k - 1025)); // neg(0) = -0
            }
        }
        assertArrayEquals(expected, c.toFloatArray());
    }

    @Test
    void concatAlongAxis1Of3d() {
        float[] a = iota(24);
        float[] b = new float[8];
        for (int i = 0; i < 8; i++) {
            b[i] = 100 + i;
        }
        Tensor c = Tensor.concat(1, Tensor.of(a, 2, 3, 4), Tensor.of(b, 2, 1, 4));
        assertArrayEquals(new long[] {2, 4, 4}, c.shape());
        float[] expected = new float[32];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 4; k++) {
                    expected[(i * 4 + j) * 4 + k] = j < 3 ? a[(i * 3 + j) * 4 + k] : b[i * 4 + k];
                }
            }
        }
        assertArrayEquals(expected, c.toFloatArray());
    }

    @Test
    void concatOfComponentTensorsIntoAFlatResult() {
        // [1000, 3] and [100, 3] are component form; the [1100, 3] result is flat
        float[] a = iota(3000);
        Tensor b = Tensor.arange(DType.F32, 300).add(5000).reshape(100, 3);
        Tensor c = Tensor.concat(0, Tensor.of(a, 1000, 3), b);
        assertArrayEquals(new long[] {1100, 3}, c.shape());
        float[] expected = new float[3300];
        for (int i = 0; i < 3300; i++) {
            expected[i] = i < 3000 ? a[i] : 5000 + (i - 3000);
        }
        assertArrayEquals(expected, c.toFloatArray());
    }

    @Test
    void concatOfFlatAndComponentTensorsAlongAxis0() {
        float[] a = iota(3000);
        Tensor c = Tensor.concat(0, Tensor.of(a, 1500, 2), Tensor.of(new float[] {-1, -2, -3, -4, -5, -6}, 3, 2));
        assertArrayEquals(new long[] {1503, 2}, c.shape());
        float[] expected = new float[3006];
        System.arraycopy(a, 0, expected, 0, 3000);
        System.arraycopy(new float[] {-1, -2, -3, -4, -5, -6}, 0, expected, 3000, 6);
        assertArrayEquals(expected, c.toFloatArray());
    }

    @Test
    void concatOfFlatTensorsAlongTheLastAxis() {
        float[] a = iota(3000);
        Tensor lazy = Tensor.arange(DType.F32, 1500).mul(-1).reshape(1500, 1); // 1500 components: flat
        Tensor c = Tensor.concat(1, Tensor.of(a, 1500, 2), lazy);
        assertArrayEquals(new long[] {1500, 3}, c.shape());
        float[] expected = new float[4500];
        for (int i = 0; i < 1500; i++) {
            expected[3 * i] = a[2 * i];
            expected[3 * i + 1] = a[2 * i + 1];
            expected[3 * i + 2] = -(float) i; // float negation: -0 for i = 0, as mul(-1) gives
        }
        assertArrayEquals(expected, c.toFloatArray());
    }

    @Test
    void concatPromotesToTheWiderType() {
        Tensor c = Tensor.concat(0, Tensor.of(new int[] {1, 2}), Tensor.of(new float[] {0.5f}));
        assertEquals(DType.F32, c.dtype());
        assertArrayEquals(new float[] {1, 2, 0.5f}, c.toFloatArray());
    }

    @Test
    void stackAddsALeadingAxis() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4});
        Tensor s = Tensor.stack(a, a.mul(10), a.neg());
        assertArrayEquals(new long[] {3, 4}, s.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 10, 20, 30, 40, -1, -2, -3, -4}, s.toFloatArray());
    }

    @Test
    void stackOfMatrices() {
        Tensor a = Tensor.of(iota(6), 2, 3);
        Tensor s = Tensor.stack(a, a.add(6));
        assertArrayEquals(new long[] {2, 2, 3}, s.shape());
        assertArrayEquals(iota(12), s.toFloatArray());
    }

    // ---------------------------------------------------------------- gather and scatterAdd

    @Test
    void gatherReadsFlatRowMajorPositions() {
        Tensor source = Tensor.of(new float[] {10, 11, 12, 13, 14, 15}, 2, 3);
        Tensor index = Tensor.of(new int[] {5, 0, 3, 3});
        assertArrayEquals(new float[] {15, 10, 13, 13}, source.gather(index).toFloatArray());
    }

    @Test
    void gatherResultHasTheIndexShape() {
        float[] a = iota(3000);
        Tensor source = Tensor.of(a, 1500, 2).mul(2); // lazy flat source, evaluated by gather
        Tensor index = Tensor.of(new int[] {2999, 0, 1, 1031, 1500, 7}, 2, 3);
        Tensor g = source.gather(index);
        assertArrayEquals(new long[] {2, 3}, g.shape());
        assertArrayEquals(new float[] {5998, 0, 2, 2062, 3000, 14}, g.toFloatArray());
    }

    @Test
    void gatherWithLazyIndexAcrossChunks() {
        float[] a = iota(1031);
        Tensor index = Tensor.arange(DType.I32, 2062).rem(1031); // 0..1030, twice
        float[] expected = new float[2062];
        for (int i = 0; i < 2062; i++) {
            expected[i] = a[i % 1031];
        }
        assertArrayEquals(expected, Tensor.of(a).gather(index).toFloatArray());
    }

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        Tensor target = Tensor.zeros(DType.F32, 5);
        Tensor r = target.scatterAdd(Tensor.of(new int[] {1, 1, 3, 1}), Tensor.of(new float[] {1, 2, 3, 4}));
        assertArrayEquals(new float[] {0, 7, 0, 3, 0}, r.toFloatArray());
    }

    @Test
    void scatterAddSkipsOutOfRangeIndices() {
        Tensor target = Tensor.of(new float[] {1, 1, 1, 1, 1});
        Tensor r = target.scatterAdd(Tensor.of(new int[] {-1, 5, 2, Integer.MIN_VALUE}),
                Tensor.of(new float[] {10, 20, 30, 40}));
        assertArrayEquals(new float[] {1, 1, 31, 1, 1}, r.toFloatArray());
    }

    @Test
    void scatterAddWithI64IndexBeyond32BitsIsSkipped() {
        Tensor target = Tensor.zeros(DType.F32, 3);
        Tensor index = Tensor.of(new double[] {0x1p32 + 1, 0x1p32}).to(DType.I64);
        // both indices are far outside 0..2 (their low 32 bits, 1 and 0, must not be used)
        Tensor r = target.scatterAdd(index, Tensor.of(new float[] {5, 7}));
        assertArrayEquals(new float[] {0, 0, 0}, r.toFloatArray());
    }

    @Test
    void scatterAddLeavesTheTargetUnchanged() {
        Tensor target = Tensor.of(new float[] {1, 2, 3});
        Tensor r = target.scatterAdd(Tensor.of(new int[] {0, 2}), Tensor.of(new float[] {10, 10}));
        assertArrayEquals(new float[] {11, 2, 13}, r.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, target.toFloatArray());
    }

    @Test
    void scatterAddLeavesALazyTargetUnchanged() {
        Tensor target = Tensor.arange(DType.F32, 4);
        Tensor r = target.scatterAdd(Tensor.of(new int[] {3}), Tensor.of(new float[] {0.5f}));
        assertArrayEquals(new float[] {0, 1, 2, 3.5f}, r.toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, target.toFloatArray());
    }

    @Test
    void scatterAddOfIntegersCountsAcrossChunks() {
        int n = 2063; // three interpreter chunks, the last partial
        Tensor index = Tensor.arange(DType.I32, n).rem(7);
        Tensor r = Tensor.zeros(DType.I32, 7).scatterAdd(index, Tensor.ones(DType.I32, n));
        int[] expected = new int[7];
        for (int i = 0; i < n; i++) {
            expected[i % 7]++;
        }
        assertArrayEquals(expected, r.toIntArray());
    }

    @Test
    void scatterAddBroadcastsAScalarValue() {
        Tensor r = Tensor.zeros(DType.F32, 4).scatterAdd(Tensor.of(new int[] {0, 0, 3}), Tensor.full(DType.F32, 2.5));
        assertArrayEquals(new float[] {5, 0, 0, 2.5f}, r.toFloatArray());
    }

    // ---------------------------------------------------------------- where and conversions

    @Test
    void whereSelectsByMask() {
        Tensor x = Tensor.of(new float[] {-2, 3, -1, 0, 5});
        Tensor r = Tensor.where(x.gt(0), x, x.mul(-10));
        assertArrayEquals(new float[] {20, 3, 10, -0f, 5}, r.toFloatArray()); // 0 * -10 = -0
    }

    @Test
    void whereBroadcastsScalarsAndMask() {
        Tensor mask = Tensor.of(new int[] {1, 0, 1}).gt(0); // [3], broadcast over rows
        Tensor a = Tensor.of(iota(6), 2, 3);
        Tensor r = Tensor.where(mask, a, Tensor.full(DType.F32, -1));
        assertArrayEquals(new long[] {2, 3}, r.shape());
        assertArrayEquals(new float[] {0, -1, 2, 3, -1, 5}, r.toFloatArray());
    }

    @Test
    void whereOnFlatTensors() {
        float[] a = iota(3000);
        Tensor t = Tensor.of(a, 1500, 2);
        Tensor r = Tensor.where(t.rem(3).eq(0), t, Tensor.zeros(DType.F32, 1500, 2));
        float[] expected = new float[3000];
        for (int i = 0; i < 3000; i++) {
            expected[i] = i % 3 == 0 ? i : 0;
        }
        assertArrayEquals(expected, r.toFloatArray());
    }

    @Test
    void floatToIntegerTruncatesTowardZero() {
        assertArrayEquals(new int[] {2, -2, 0, 0}, Tensor.of(new float[] {2.7f, -2.7f, 0.9f, -0.9f}).to(DType.I32).toIntArray());
    }

    @Test
    void intToFloatRoundsToNearestEven() {
        // 2^24 + 1 is a tie between 2^24 (even) and 2^24 + 2; 2^24 + 3 rounds to 2^24 + 4
        assertArrayEquals(new float[] {16777216f, 16777220f, -7f},
                Tensor.of(new int[] {16777217, 16777219, -7}).to(DType.F32).toFloatArray());
    }

    @Test
    void toBoolIsNonZero() {
        Tensor b = Tensor.of(new float[] {0f, -0f, Float.NaN, 0.5f, -3f}).to(DType.BOOL);
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, b.toIntArray()); // NaN != 0
    }

    @Test
    void boolToFloatIsZeroOrOne() {
        Tensor b = Tensor.of(new int[] {0, 5, 0, -1}).ne(0);
        assertArrayEquals(new float[] {0, 1, 0, 1}, b.to(DType.F32).toFloatArray());
    }

    @Test
    void i32ToU32KeepsTheBits() {
        assertArrayEquals(new double[] {4294967295.0, 2147483648.0, 5},
                Tensor.of(new int[] {-1, Integer.MIN_VALUE, 5}).to(DType.U32).toDoubleArray());
    }

    @Test
    void f32ToF64IsExact() {
        float f = 0.1f;
        assertArrayEquals(new double[] {(double) f}, Tensor.of(new float[] {f}).to(DType.F64).toDoubleArray());
    }

    @Test
    void f64ToF32RoundsToNearest() {
        // 1 + 2^-24 is a tie (to 1); 1 + 2^-24 + 2^-40 rounds up to 1 + 2^-23
        assertArrayEquals(new float[] {1f, 1f + 0x1p-23f},
                Tensor.of(new double[] {1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-40}).to(DType.F32).toFloatArray());
    }

    @Test
    void i64ToI32KeepsTheLowBits() {
        Tensor x = Tensor.of(new double[] {0x1p32 + 5, -1}).to(DType.I64);
        assertArrayEquals(new int[] {5, -1}, x.to(DType.I32).toIntArray());
    }

    @Test
    void conversionOfAFlatTensor() {
        float[] a = new float[3000];
        int[] expected = new int[3000];
        for (int i = 0; i < 3000; i++) {
            a[i] = i * 0.75f - 1000;
            expected[i] = (int) a[i]; // Java's cast truncates toward zero
        }
        Tensor t = Tensor.of(a, 1500, 2).to(DType.I32);
        assertEquals(DType.I32, t.dtype());
        assertArrayEquals(expected, t.toIntArray());
    }
}
