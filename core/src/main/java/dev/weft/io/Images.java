package dev.weft.io;

import dev.weft.DType;
import dev.weft.Tensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

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
    private static final float JPEG_QUALITY = 0.95f;

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
        BufferedImage img;
        try {
            img = ImageIO.read(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Images.read(): cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("Images.read(): " + path.toAbsolutePath()
                    + " is not an image this Java runtime can decode; Weft reads PNG and JPEG");
        }
        return toTensor(img);
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
        int type = switch (c) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
        BufferedImage img = new BufferedImage(w, h, type);
        // the raster's bands are R, G, B, A in that order whatever the byte order in memory
        img.getRaster().setPixels(0, 0, w, h, pixels);
        encode(img, format, path);
    }

    private static void encode(BufferedImage img, String format, Path path) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("Images.write(): this Java runtime has no " + format + " encoder");
        }
        ImageWriter writer = writers.next();
        try (OutputStream os = Files.newOutputStream(path);
             ImageOutputStream out = new MemoryCacheImageOutputStream(os)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Images.write(): cannot write " + path.toAbsolutePath() + ": " + e, e);
        } finally {
            writer.dispose();
        }
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

    private static Tensor toTensor(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        int csType = cm.getColorSpace().getType();
        boolean direct = cm instanceof ComponentColorModel
                && (cm.getColorSpace().isCS_sRGB() && (bands == 3 || bands == 4)
                    || csType == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2));
        if (direct) {
            // the stored samples as they are: getRGB would convert linear gray to sRGB
            int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
            float scale = 255f / ((1 << cm.getComponentSize(0)) - 1);
            if (bands == 2) {
                return grayAlphaToRgba(samples, scale, h, w);
            }
            float[] data = new float[samples.length];
            for (int i = 0; i < data.length; i++) {
                data[i] = samples[i] * scale;
            }
            return Tensor.of(data, h, w, bands);
        }
        // palettes, packed pixels and other colour spaces: through sRGB, 8 bits
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int c = cm instanceof IndexColorModel icm && !cm.hasAlpha() && isGray(icm) ? 1 : cm.hasAlpha() ? 4 : 3;
        float[] data = new float[argb.length * c];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            if (c == 1) {
                data[i] = p & 0xff;
                continue;
            }
            data[i * c] = (p >>> 16) & 0xff;
            data[i * c + 1] = (p >>> 8) & 0xff;
            data[i * c + 2] = p & 0xff;
            if (c == 4) {
                data[i * c + 3] = p >>> 24;
            }
        }
        return Tensor.of(data, h, w, c);
    }

    private static Tensor grayAlphaToRgba(int[] samples, float scale, int h, int w) {
        float[] data = new float[samples.length * 2];
        for (int i = 0; i < samples.length / 2; i++) {
            float g = samples[2 * i] * scale;
            data[4 * i] = g;
            data[4 * i + 1] = g;
            data[4 * i + 2] = g;
            data[4 * i + 3] = samples[2 * i + 1] * scale;
        }
        return Tensor.of(data, h, w, 4);
    }

    /** A palette of grays only (PNG stores low-bit-depth gray images this way). */
    private static boolean isGray(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    /** A jlinked runtime without java.desktop (the GPU bundle) gets a reason, not a NoClassDefFoundError. */
    private static void requireImageIo(String method) {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new IllegalStateException("Images." + method + "(): this Java runtime lacks the java.desktop "
                    + "module (javax.imageio); use a full JDK, or add java.desktop to the jlinked runtime");
        }
    }
}
