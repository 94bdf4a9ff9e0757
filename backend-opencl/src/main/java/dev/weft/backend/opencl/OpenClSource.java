package dev.weft.backend.opencl;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kernel's OpenCL C, as the renderer hands it to {@link OpenClCompiler#buildAll}: the text
 * defines {@code __kernel void <entry>(...)} following the launch convention, plus any helpers
 * it needs.
 *
 * <p><b>Launch convention.</b> Argument 0 is the parameter block, {@code __constant ulong*
 * weft_params}: one 64-bit word per launch value (see {@link OpenClBackend#launch(OpenClKernel,
 * dev.weft.spi.BufferHandle[], long[], long)}); the buffers follow as arguments 1, 2, ... in
 * slot order, each a {@code __global} pointer to its element type ({@code uchar} for BOOL,
 * {@code half} for F16, read with {@code vload_half} and written with {@code vstore_half_rte}).
 * The kernel runs in work-groups of exactly {@code workGroupSize} work-items over a range rounded
 * up to a multiple of it, so it must guard the work-items past the lane count itself (without
 * returning early where it uses barriers).
 *
 * <p><b>Batching.</b> Sources built together become one OpenCL program, so every name they
 * define at file scope must be unique across the batch: helpers that several kernels share go
 * inside include guards ({@code #ifndef WEFT_HELPER_X / #define WEFT_HELPER_X ... #endif}), so
 * that the copy of each kernel's text after the first one is skipped; helpers of one kernel carry
 * its entry name. The compiler adds the prelude ({@code FP_CONTRACT OFF}, {@code cl_khr_fp64}).
 *
 * @param entry the kernel's name, a C identifier ({@code weft_} and the kernel hash, by convention)
 * @param text the OpenCL C that defines it
 * @param workGroupSize the work-items per group the kernel is written for (local memory sizes depend on it)
 */
public record OpenClSource(String entry, String text, int workGroupSize) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public OpenClSource {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(text, "text");
        checkArgument(IDENTIFIER.matcher(entry).matches(), "OpenClSource: entry '%s' is not a C identifier", entry);
        checkArgument(workGroupSize >= 1, "OpenClSource: work-group size %s of %s must be at least 1", workGroupSize, entry);
    }
}
