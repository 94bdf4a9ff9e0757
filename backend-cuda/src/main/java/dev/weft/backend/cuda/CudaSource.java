package dev.weft.backend.cuda;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kernel's PTX, as a renderer hands it to {@link CudaCompiler#buildAll}: the text defines
 * {@code .visible .entry <entry>(...)} following the launch convention, plus any {@code .func}
 * helpers it needs, and <em>no</em> module header: the compiler puts {@code .version 8.0},
 * {@code .target sm_XX} (the device's, at most sm_90) and {@code .address_size 64} in front.
 *
 * <p><b>Launch convention.</b> The entry takes exactly one parameter, the parameter block
 * {@code .param .align 8 .b8 weft_args[8 * W]}: W 64-bit words, read with
 * {@code ld.param.u64 %rd, [weft_args+8*i]}. For a core kernel ({@link CudaProgram}) the words are
 * {@code [n, params[0], ..., params[P-1], &slot0, ..., &slot(S-1)]}: the lane count, each launch
 * parameter's canonical bits (F32 in the low 32 bits, I32 sign-extended as the SPI gives it), then
 * each buffer's device address (a generic address; {@code cvta.to.global.u64} it). W = 1 + P + S,
 * at most {@value #MAX_WORDS} (CUDA's 4 KB of kernel parameters). The kernel runs in blocks of
 * exactly {@code blockSize} threads, 1-D, over {@code ceil(n / blockSize)} blocks, so it guards
 * the threads past {@code n} itself (without returning early where it uses barriers).
 *
 * <p><b>Batching.</b> Sources built together become one PTX module, so every name they define at
 * module scope ({@code .entry}, {@code .func}, {@code .global}, {@code .shared} outside a
 * function) must be unique across the batch: per-kernel helpers carry the entry name.
 *
 * @param entry the kernel's name, a PTX identifier ({@code weft_} and the kernel hash, by convention)
 * @param text the PTX that defines it, without the module header
 * @param blockSize the threads per block the kernel is written for (shared memory sizes depend on it)
 */
public record CudaSource(String entry, String text, int blockSize) {
    /** The most 64-bit words a parameter block holds: CUDA passes at most 4 KB of kernel parameters. */
    public static final int MAX_WORDS = 512;
    /** The largest block CUDA runs on any device. */
    public static final int MAX_BLOCK = 1024;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    public CudaSource {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(text, "text");
        checkArgument(IDENTIFIER.matcher(entry).matches(), "CudaSource: entry '%s' is not a PTX identifier", entry);
        checkArgument(blockSize >= 1 && blockSize <= MAX_BLOCK, "CudaSource: block size %s of %s must be in [1, %s]",
                blockSize, entry, MAX_BLOCK);
    }

    /**
     * The words of the entry's parameter block as its signature declares them, or -1 if the
     * entry is missing or does not follow the convention (one {@code .align 8 .b8 weft_args[]}
     * parameter whose size is a whole number of words).
     */
    int declaredWords() {
        var m = Pattern.compile("\\.entry\\s+" + Pattern.quote(entry)
                + "\\s*\\(\\s*\\.param\\s+\\.align\\s+8\\s+\\.b8\\s+weft_args\\s*\\[\\s*(\\d{1,6})\\s*]\\s*\\)")
                .matcher(text);
        if (!m.find()) {
            return -1;
        }
        int bytes = Integer.parseInt(m.group(1));
        return bytes % 8 == 0 && bytes > 0 ? bytes / 8 : -1;
    }
}
