package dev.weft.backend.opencl;

import dev.weft.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tensor-mode {@code gemm} on the device: the hand-written tiled kernel of {@code gemm.cl}
 * (32 x 32 tiles of C per work-group of 64, local-memory tiles 16 deep, one fma chain per output
 * in order of k), built once per dtype on first use through the backend's compiler and
 * launched with the same parameter block as every other kernel.
 */
final class OpenClGemm {
    /** Rows and columns of C per work-group, work-items per group (as in {@code gemm.cl}). */
    static final int TILE = 32;
    static final int GROUP = 64;

    private final OpenClCompiler compiler;
    private final Map<DType, OpenClKernel> kernels = new EnumMap<>(DType.class);
    private String template;

    OpenClGemm(OpenClCompiler compiler) {
        this.compiler = compiler;
    }

    /** The kernel for F16, F32 or F64 matrices, built on first use. */
    OpenClKernel kernel(DType dtype) {
        OpenClKernel k = kernels.get(dtype);
        if (k == null) {
            k = compiler.build(source(dtype));
            kernels.put(dtype, k);
        }
        return k;
    }

    /** The OpenCL C of the kernel for {@code dtype}: {@code gemm.cl} after two defines. */
    OpenClSource source(DType dtype) {
        String entry = "weft_gemm_" + dtype.name().toLowerCase(Locale.ROOT);
        String text = "#define WEFT_GEMM_" + dtype.name() + "\n#define WEFT_GEMM_ENTRY " + entry + "\n" + template();
        return new OpenClSource(entry, text, GROUP);
    }

    /** The parameter block: batch, m, n, k, transA, transB and the three offsets. */
    static long[] words(int batch, boolean transA, boolean transB, int m, int n, int k, long aOffset, long bOffset,
                        long cOffset) {
        return new long[] {batch, m, n, k, transA ? 1 : 0, transB ? 1 : 0, aOffset, bOffset, cOffset};
    }

    /** Work-items to launch: one group per 32 x 32 tile of each batch entry's C. */
    static long workItems(int batch, int m, int n) {
        long tiles = batch * (((long) m + TILE - 1) / TILE) * (((long) n + TILE - 1) / TILE);
        return tiles * GROUP;
    }

    private String template() {
        if (template == null) {
            try (InputStream in = OpenClGemm.class.getResourceAsStream("gemm.cl")) {
                if (in == null) {
                    throw new IllegalStateException("gemm.cl is missing from the weft-backend-opencl jar; rebuild it");
                }
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("reading gemm.cl from the weft-backend-opencl jar", e);
            }
        }
        return template;
    }
}
