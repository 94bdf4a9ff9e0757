package dev.weft.io;

import dev.weft.DType;
import dev.weft.Tensor;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Images as tensors: {@code [H, W, C]} (rows, columns, channels), values 0..255.
 *
 * {@snippet :
 * Tensor ref = Images.read(Path.of("wave-128.png")).div(256);  // [128, 128, 3] F32 in [0, 1)
 * Images.write(Path.of("out.png"), ref.mul(256));
 * }
 *
 * <p>Reading gives C = 1 for gray, 3 for RGB and 4 for RGB with alpha (gray with alpha becomes
 * RGBA); 16-bit images are scaled to 0..255. Writing stores 8 bits per channel. It uses
 * {@code javax.imageio} (module {@code java.desktop}), loaded only when these methods are called.
 * I/O errors are thrown as {@link UncheckedIOException}.
 */
public final class Images {
    private static final String SUPPORTED = "png, jpg, jpeg";

    private Images() {
    }

    /**
     * Reads a PNG or JPEG file into an F32 tensor {@code [H, W, C]} on the default device.
     *
     * @throws UncheckedIOException if the file is missing or cannot be read (the message names it)
     * @throws IllegalArgumentException if it is not an image {@code javax.imageio} can decode
     */
    public static Tensor read(Path path) {
        requireImageIo("read");
        if (!Files.isRegularFile(path)) {
            String what = Files.exists(path) ? "not a regular file: " : "no such file: ";
            throw new UncheckedIOException("Images.read(): " + what + path.toAbsolutePath(),
                    new NoSuchFileException(path.toString()));
        }
        return ImageCodec.decode(path);
    }

    /**
     * Writes {@code [H, W, C]} (C = 1, 3 or 4) or {@code [H, W]} to a PNG or JPEG file, chosen by
     * the extension (png, jpg, jpeg). Values are clamped to 0..255 and rounded half to even
     * (NaN becomes 0); any float dtype is accepted. JPEG takes no alpha channel.
     *
     * @throws IllegalArgumentException for another extension, shape or dtype (before anything is
     *     evaluated or written)
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path path, Tensor image) {
        String format = formatOf(path);
        long[] shape = image.shape();
        if (!image.dtype().isFloat()) {
            throw new IllegalArgumentException("Images.write(): image of dtype " + image.dtype()
                    + " for " + path + "; expected a float dtype (F16, F32, F64): convert with to(DType.F32)");
        }
        if (!isImageShape(shape)) {
            throw new IllegalArgumentException("Images.write(): shape " + Arrays.toString(shape) + " for " + path
                    + " is not an image; expected [H, W] or [H, W, C] with C = 1, 3 or 4, H and W at least 1");
        }
        int h = (int) shape[0];
        int w = (int) shape[1];
        int c = shape.length == 2 ? 1 : (int) shape[2];
        if (c == 4 && format.equals("jpeg")) {
            throw new IllegalArgumentException("Images.write(): " + path + " is a JPEG, which has no alpha channel; "
                    + "write a PNG, or drop the alpha with image.slice(2, 0, 3)");
        }
        requireImageIo("write");
        float[] data = image.to(DType.F32).toFloatArray();
        int[] pixels = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            // Math.max(0, NaN) is NaN and (int) NaN is 0
            pixels[i] = (int) Math.rint(Math.min(255f, Math.max(0f, data[i])));
        }
        ImageCodec.encode(pixels, h, w, c, format, path);
    }

    /** [H, W] or [H, W, C] with C 1, 3 or 4, not empty, and small enough for one Java array. */
    private static boolean isImageShape(long[] shape) {
        if (shape.length != 2 && (shape.length != 3 || shape[2] != 1 && shape[2] != 3 && shape[2] != 4)) {
            return false;
        }
        return shape[0] > 0 && shape[1] > 0 && shape[1] <= Integer.MAX_VALUE / 4
                && shape[0] <= Integer.MAX_VALUE / 4 / shape[1];
    }

    /** "png" or "jpeg" from the file name, else the caller's error. */
    private static String formatOf(Path path) {
        Path name = path.getFileName();
        String s = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        String ext = s.substring(s.lastIndexOf('.') + 1);
        return switch (ext) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            default -> throw new IllegalArgumentException("Images.write(): cannot tell the format of " + path
                    + " from its extension; supported: " + SUPPORTED);
        };
    }

    /**
     * The core requires {@code java.desktop} only statically: a jlinked runtime without it (the GPU
     * bundle), or a modular application that does not resolve it, gets a reason here, not a
     * {@code NoClassDefFoundError}.
     */
    private static void requireImageIo(String method) {
        Module self = Images.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        if (layer.findModule("java.desktop").filter(self::canRead).isEmpty()) {
            throw new IllegalStateException("Images." + method + "(): the java.desktop module (javax.imageio) is not "
                    + "loaded: on the module path start the JVM with --add-modules java.desktop (the core requires it "
                    + "only for images); a jlinked runtime needs java.desktop added to it");
        }
    }
}
