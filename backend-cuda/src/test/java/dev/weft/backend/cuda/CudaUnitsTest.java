package dev.weft.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The runtime's pure parts: PTX signatures, targets, error names and the staging ring's overlap rule. */
class CudaUnitsTest {
    @Test
    void theParameterBlockIsReadFromTheEntrysSignature() {
        assertEquals(4, CudaCheckKernels.AXPY.declaredWords());
        assertEquals(CudaGemm.WORDS, CudaGemm.source(dev.weft.DType.F16, true, false).declaredWords());
        assertEquals(-1, new CudaSource("k", ".visible .entry k(.param .u64 a, .param .u64 b)\n{\nret;\n}", 32)
                .declaredWords(), "two parameters are not the convention");
        assertEquals(-1, new CudaSource("k", ".visible .entry k(.param .align 8 .b8 weft_args[12])\n{\nret;\n}", 32)
                .declaredWords(), "not whole words");
        assertEquals(-1, new CudaSource("k", ".visible .entry other(.param .align 8 .b8 weft_args[8])", 32)
                .declaredWords(), "another entry");
    }

    @Test
    void sourcesRejectBadNamesAndBlockSizes() {
        var name = assertThrows(IllegalArgumentException.class, () -> new CudaSource("1abc", "", 32));
        assertTrue(name.getMessage().contains("'1abc' is not a PTX identifier"), name.getMessage());
        var block = assertThrows(IllegalArgumentException.class, () -> new CudaSource("k", "", 2048));
        assertTrue(block.getMessage().contains("block size 2048 of k must be in [1, 1024]"), block.getMessage());
    }

    @Test
    void theTargetIsTheDevicesUpToSm90AndTheHeaderSaysPtx80() {
        assertEquals("sm_80", device(80).ptxTarget());
        assertEquals("sm_86", device(86).ptxTarget());
        assertEquals("sm_90", device(90).ptxTarget());
        assertEquals("sm_90", device(100).ptxTarget(), "Blackwell runs sm_90 PTX");
        assertEquals("sm_90", device(120).ptxTarget());
        assertTrue(CudaCompiler.header("sm_90").contains(".version 8.0\n.target sm_90\n.address_size 64\n"));
        assertEquals("NVIDIA H200 (sm_90, 132 SMs, 139.8 GiB, driver CUDA 13.0)", device(90).describe());
        assertEquals("12.4", CudaDevice.versionString(12040));
    }

    @Test
    void errorsAreNamedAndTheStickyOnesSayTheContextIsLost() {
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", CudaErrors.name(700));
        assertEquals("CUDA error 123456", CudaErrors.name(123456));
        assertTrue(CudaErrors.isSticky(700) && CudaErrors.isSticky(719) && CudaErrors.isSticky(716));
        assertFalse(CudaErrors.isSticky(2) || CudaErrors.isSticky(701) || CudaErrors.isSticky(1));
        CudaException e = CudaErrors.failure(700, "synchronize(); kernels launched since the last wait: weft_x", "cuda:0");
        assertTrue(e.getMessage().startsWith("synchronize(); kernels launched since the last wait: weft_x on cuda:0 "
                + "failed: CUDA_ERROR_ILLEGAL_ADDRESS (700); this is a sticky CUDA error"), e.getMessage());
        assertTrue(e.sticky());
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", e.errorName());
        assertTrue(CudaErrors.failure(701, "launch", "cuda:0").getMessage().contains("the context is still usable"));
    }

    @Test
    void aNewStagingRegionWaitsForTheQueuedCopiesItOverlaps() {
        var r = new CudaTransfers.InFlight(1000, 2000, null);
        assertTrue(CudaTransfers.conflicts(r, 0, 1500, 2500, false), "overlapping");
        assertFalse(CudaTransfers.conflicts(r, 2000, 2000, 3000, false), "after it");
        assertFalse(CudaTransfers.conflicts(r, 2000, 0, 500, true), "wrapped before it, the tail from 2000 skipped");
        var tail = new CudaTransfers.InFlight(3000, 3500, null);
        assertTrue(CudaTransfers.conflicts(tail, 2800, 0, 500, true), "in the tail a wrap skips");
        assertFalse(CudaTransfers.conflicts(tail, 3600, 3600, 4000, false));
    }

    @Test
    void buffersAreWholeWordsAndNeverEmpty() {
        assertEquals(8, CudaBuffer.bytesFor(dev.weft.DType.F16, 0));
        assertEquals(8, CudaBuffer.bytesFor(dev.weft.DType.F16, 3));
        assertEquals(16, CudaBuffer.bytesFor(dev.weft.DType.BOOL, 9));
        assertEquals(24, CudaBuffer.bytesFor(dev.weft.DType.F64, 3));
        assertThrows(ArithmeticException.class, () -> CudaBuffer.bytesFor(dev.weft.DType.F64, Long.MAX_VALUE / 4));
    }

    @Test
    void theSelfCheckKernelsAssembleAndTheBrokenOneDoesNot() throws Exception {
        Ptxas.require();
        for (CudaSource s : new CudaSource[] {CudaCheckKernels.AXPY, CudaCheckKernels.FAULT, CudaCheckKernels.NARROW}) {
            assertNull(Ptxas.assemble(CudaCompiler.header("sm_80") + s.text(), "sm_80"), s.entry());
        }
        String log = Ptxas.assemble(CudaCompiler.header("sm_80") + CudaCheckKernels.BROKEN.text(), "sm_80");
        assertTrue(log != null && log.contains("frobnicate"), String.valueOf(log));
    }

    private static CudaDevice device(int cc) {
        return new CudaDevice(0, null, "NVIDIA H200", cc, 150_119_235_584L, 132, 1024, 49152, Integer.MAX_VALUE, 65535,
                13000);
    }
}
