package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.backend.reference.ReferenceProvider;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gemm kernels' PTX, proved without a GPU: every variant assembles with ptxas for sm_80 and
 * sm_90 as one module (where ptxas is installed), and the PTX text itself runs on
 * {@link PtxInterpreter} over the launches {@link CudaGemm#launches} plans, giving the reference
 * backend's bits (fma in order of k, rounded once) and leaving every element around C alone.
 * Launches are split with a tiny grid limit so that the row-tile and batch offsets are exercised.
 */
class CudaGemmPtxTest {
    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (DType t : new DType[] {DType.F16, DType.F32, DType.F64}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(t, ta, tb));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyVariantAssemblesAsOneModuleForSm80AndSm90() throws Exception {
        Ptxas.require();
        List<CudaSource> all = variants().map(a -> CudaGemm.source((DType) a.get()[0], (boolean) a.get()[1],
                (boolean) a.get()[2])).toList();
        for (String arch : new String[] {"sm_80", "sm_90"}) {
            StringBuilder module = new StringBuilder(CudaCompiler.header(arch));
            all.forEach(s -> module.append('\n').append(s.text()));
            assertNull(Ptxas.assemble(module.toString(), arch), arch);
        }
    }

    @ParameterizedTest(name = "{0} transA {1} transB {2}")
    @MethodSource("variants")
    void everyVariantGivesTheReferenceBitsAcrossSplitLaunches(DType t, boolean transA, boolean transB) {
        // 2 batch entries x 2 row tiles, one per launch (grid limit 1); 2 column tiles; k past one 16-step
        check(t, 2, 65, 67, 19, transA, transB, 1);
    }

    @ParameterizedTest(name = "F32 batch {0} {1}x{2}x{3} transA {4} transB {5}")
    @CsvSource({
        "1, 1, 1, 1, false, false",
        "1, 5, 7, 3, true, false",
        "1, 64, 64, 64, false, false",
        "1, 4, 5, 0, false, true",
        "3, 6, 129, 17, false, true",
        "1, 130, 20, 33, true, true",
    })
    void edgesAndExactTilesGiveTheReferenceBits(int batch, int m, int n, int k, boolean transA, boolean transB) {
        check(DType.F32, batch, m, n, k, transA, transB, 65535);
    }

    @Test
    void theInterpreterCatchesAKernelThatSkipsHalfOfK() {
        CudaSource good = CudaGemm.source(DType.F32, false, false);
        CudaSource bad = new CudaSource(good.entry(), good.text().replace("add.u64 %k0, %k0, 16;",
                "add.u64 %k0, %k0, 32;"), good.blockSize());
        CudaGemmCheck.Case c = CudaGemmCheck.make(DType.F32, 1, 9, 9, 40, false, false);
        assertThrows(AssertionError.class, () -> CudaGemmCheck.compare(c, interpret(bad, c, 65535)));
    }

    @Test
    void theHostModelOfTheSelfCheckIsTheReferenceBackendBitForBit() {
        for (DType t : new DType[] {DType.F16, DType.F32, DType.F64}) {
            CudaGemmCheck.Case c = CudaGemmCheck.make(t, 2, 13, 70, 9, true, false);
            assertArrayEquals(c.c(), reference(c), t.toString());
        }
    }

    @Test
    void launchesCoverEveryTileOnceWithinTheGridLimit() {
        // 5 batch entries, 7 row tiles (m = 400), limit 3: batches [0,3) [3,5) x row tiles [0,3) [3,6) [6,7)
        List<CudaGemm.Launch> ls = CudaGemm.launches(5, 400, 100, 8, 1, 2, 3, 3);
        assertTrue(ls.size() == 6, ls.toString());
        int covered = 0;
        for (CudaGemm.Launch l : ls) {
            assertTrue(l.gridX() == 2 && l.gridY() <= 3 && l.gridZ() <= 3, l.toString());
            assertArrayEquals(new long[] {400, 100, 8, 1, 2, 3}, java.util.Arrays.copyOf(l.words(), 6));
            covered += l.gridY() * l.gridZ();
        }
        assertTrue(covered == 5 * 7, "row tiles x batches covered: " + covered);
    }

    private static void check(DType t, int batch, int m, int n, int k, boolean transA, boolean transB, int maxYZ) {
        CudaGemmCheck.Case c = CudaGemmCheck.make(t, batch, m, n, k, transA, transB);
        byte[] got = interpret(CudaGemm.source(t, transA, transB), c, maxYZ);
        CudaGemmCheck.compare(c, got);
        assertArrayEquals(reference(c), got, "the reference backend's bits");
    }

    /** Runs the source's PTX on the interpreter over the planned launches; returns C's buffer. */
    static byte[] interpret(CudaSource source, CudaGemmCheck.Case c, int maxYZ) {
        PtxInterpreter.Entry entry = PtxInterpreter.parse(CudaCompiler.header("sm_80") + source.text()).get(source.entry());
        PtxInterpreter.Memory memory = new PtxInterpreter.Memory();
        long a = memory.allocate(c.a());
        long b = memory.allocate(c.b());
        byte[] guards = new byte[c.c().length];
        java.util.Arrays.fill(guards, (byte) 0xFF);
        long out = memory.allocate(guards);
        if (c.batch() * c.m() * c.n() > 0) {
            for (CudaGemm.Launch l : CudaGemm.launches(c.batch(), c.m(), c.n(), c.k(), CudaGemmCheck.A_OFFSET,
                    CudaGemmCheck.B_OFFSET, CudaGemmCheck.C_OFFSET, maxYZ)) {
                ByteBuffer params = ByteBuffer.allocate(8 * CudaGemm.WORDS).order(ByteOrder.LITTLE_ENDIAN);
                for (long w : l.words()) {
                    params.putLong(w);
                }
                params.putLong(a).putLong(b).putLong(out);
                PtxInterpreter.run(entry, l.gridX(), l.gridY(), l.gridZ(), CudaGemm.THREADS, params.array(), memory);
            }
        }
        return memory.contents(out);
    }

    /** The reference backend's gemm of the case, as C's whole buffer (guards included). */
    static byte[] reference(CudaGemmCheck.Case c) {
        Backend ref = new ReferenceProvider().open(0);
        DType t = c.dtype();
        BufferHandle a = ref.alloc(t, c.a().length / t.bytes());
        BufferHandle b = ref.alloc(t, c.b().length / t.bytes());
        BufferHandle out = ref.alloc(t, c.c().length / t.bytes());
        ref.copyIn(a, 0, MemorySegment.ofArray(c.a()));
        ref.copyIn(b, 0, MemorySegment.ofArray(c.b()));
        ref.fill(out, 0, c.c().length / t.bytes(), CudaGemmCheck.GUARD);
        ref.gemm(c.batch(), c.transA(), c.transB(), c.m(), c.n(), c.k(), a, CudaGemmCheck.A_OFFSET, b,
                CudaGemmCheck.B_OFFSET, out, CudaGemmCheck.C_OFFSET, t);
        byte[] got = new byte[c.c().length];
        ref.copyOut(out, 0, MemorySegment.ofArray(got));
        ref.close();
        return got;
    }
}
