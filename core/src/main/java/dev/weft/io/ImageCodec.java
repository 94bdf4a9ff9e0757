package dev.weft.io;

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
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The part of {@link Images} that touches {@code java.desktop} ({@code javax.imageio},
 * {@code java.awt.image}): a class of its own, loaded only after {@code Images} has checked that
 * the module is there, since verifying a class that names AWT types already needs them.
 */
final class ImageCodec {
    private static final float JPEG_QUALITY = 0.95f;

    private ImageCodec() {}

    /** Decodes an existing file into {@code [H, W, C]} F32 in 0..255. */
    static Tensor decode(Path path) {
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

    /** Encodes 8-bit samples, row-major {@code [h, w, c]} (c = 1, 3 or 4), as "png" or "jpeg". */
    static void encode(int[] pixels, int h, int w, int c, String format, Path path) {
        int type = switch (c) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
        BufferedImage img = new BufferedImage(w, h, type);
        // the raster's bands are R, G, B, A in that order whatever the byte order in memory
        img.getRaster().setPixels(0, 0, w, h, pixels);
        write(img, format, path);
    }


    private static void write(BufferedImage img, String format, Path path) {
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
}
