package dev.weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images are generated in code; expected values come from the generating formulas, and files
 * written by {@link Images} are checked once with {@code javax.imageio} directly.
 */
class ImagesTest {
    private static final int H = 5;
    private static final int W = 7;

    @TempDir
    Path dir;

    /** Channel k of pixel (y, x): distinct integers in 0..255 that tell rows, columns and channels apart. */
    private static float pixel(int y, int x, int k) {
        return switch (k) {
            case 0 -> 40 * x + 3;      // red grows along a row
            case 1 -> 60 * y + 1;      // green grows down the columns
            case 2 -> 255 - 25 * x - 20 * y;
            default -> 17 * (x + y);   // alpha
        };
    }

    private static float[] gradient(int c) {
        float[] data = new float[H * W * c];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int k = 0; k < c; k++) {
                    data[(y * W + x) * c + k] = pixel(y, x, k);
                }
            }
        }
        return data;
    }

    @Test
    void rgbPngRoundTripsExactly() {
        Path file = dir.resolve("rgb.png");
        float[] data = gradient(3);
        Images.write(file, Tensor.of(data, H, W, 3));

        Tensor back = Images.read(file);
        assertArrayEquals(new long[] {H, W, 3}, back.shape());
        assertEquals(DType.F32, back.dtype());
        assertArrayEquals(data, back.toFloatArray());
    }

    @Test
    void writtenPngHasRowsAlongTheFirstAxisAndRgbOrder() throws IOException {
        Path file = dir.resolve("rgb.png");
        Images.write(file, Tensor.of(gradient(3), H, W, 3));

        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(W, img.getWidth());
        assertEquals(H, img.getHeight());
        int rgb = img.getRGB(6, 2);    // x = 6, y = 2
        assertEquals((int) pixel(2, 6, 0), (rgb >> 16) & 0xff);
        assertEquals((int) pixel(2, 6, 1), (rgb >> 8) & 0xff);
        assertEquals((int) pixel(2, 6, 2), rgb & 0xff);
    }

    @Test
    void rgbaPngKeepsItsAlphaChannel() {
        Path file = dir.resolve("rgba.png");
        float[] data = gradient(4);
        Images.write(file, Tensor.of(data, H, W, 4));

        Tensor back = Images.read(file);
        assertArrayEquals(new long[] {H, W, 4}, back.shape());
        assertArrayEquals(data, back.toFloatArray());
    }

    @Test
    void grayscalePngReadsAsOneChannel() throws IOException {
        BufferedImage gray = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        float[] expected = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = 36 * x + 7 * y;
                gray.getRaster().setSample(x, y, 0, v);
                expected[y * W + x] = v;
            }
        }
        Path file = dir.resolve("gray.png");
        assertTrue(ImageIO.write(gray, "png", file.toFile()));

        Tensor back = Images.read(file);
        assertArrayEquals(new long[] {H, W, 1}, back.shape());
        assertArrayEquals(expected, back.toFloatArray());
    }

    @Test
    void twoDimensionalTensorIsWrittenAsGray() {
        Path file = dir.resolve("plain.png");
        float[] data = gradient(1);
        Images.write(file, Tensor.of(data, H, W));

        Tensor back = Images.read(file);
        assertArrayEquals(new long[] {H, W, 1}, back.shape());
        assertArrayEquals(data, back.toFloatArray());
    }

    @Test
    void valuesAreClampedAndRoundedHalfToEven() {
        Path file = dir.resolve("clamp.png");
        // F64 input: any float dtype is accepted
        double[] values = {-10, 300, 1.5, 2.5, 254.5, 0.49, Double.NaN, 255};
        Images.write(file, Tensor.of(values, 1, values.length));

        float[] expected = {0, 255, 2, 2, 254, 0, 0, 255};
        assertArrayEquals(expected, Images.read(file).toFloatArray());
    }

    @Test
    void jpegRoundTripStaysClose() {
        Path file = dir.resolve("smooth.jpg");
        int h = 32;
        int w = 48;
        float[] data = new float[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            int y = i / w;
            int x = i % w;
            data[3 * i] = 4 * x + 20;
            data[3 * i + 1] = 6 * y + 30;
            data[3 * i + 2] = 128;
        }
        Images.write(file, Tensor.of(data, h, w, 3));

        float[] back = Images.read(file).toFloatArray();
        assertEquals(data.length, back.length);
        double sumAbs = 0;
        for (int i = 0; i < data.length; i++) {
            sumAbs += Math.abs(back[i] - data[i]);
        }
        // JPEG is lossy; at quality 0.95 a smooth gradient stays within a couple of levels on average
        assertTrue(sumAbs / data.length < 3, "mean absolute error " + sumAbs / data.length);
    }

    @Test
    void unknownExtensionIsRejectedWithThePathAndTheSupportedOnes() {
        Path file = dir.resolve("image.bmp");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Images.write(file, Tensor.of(gradient(3), H, W, 3)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("png, jpg, jpeg"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void wrongShapeIsRejectedNamingTheShapeAndWhatIsExpected() {
        Path file = dir.resolve("bad.png");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Images.write(file, Tensor.of(new float[30], 2, 3, 5)));
        assertTrue(e.getMessage().contains("[2, 3, 5]"), e.getMessage());
        assertTrue(e.getMessage().contains("[H, W, C] with C = 1, 3 or 4"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void jpegWithAlphaIsRejected() {
        Path file = dir.resolve("alpha.jpg");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Images.write(file, Tensor.of(gradient(4), H, W, 4)));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void integerTensorIsRejectedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Images.write(dir.resolve("int.png"), Tensor.of(new int[H * W], H, W)));
        assertTrue(e.getMessage().contains("to(DType.F32)"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.png");
        var e = assertThrows(UncheckedIOException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void fileThatIsNoImageIsRejected() throws IOException {
        Path file = dir.resolve("text.png");
        Files.writeString(file, "not an image");
        var e = assertThrows(IllegalArgumentException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    }

    /** The one real file: the 128x128 Great Wave beside the checkout (absent in a user's clone). */
    @Test
    void greatWaveReadsAs128By128Rgb() {
        Path wave = sharedData().resolve("wave-128.png");
        Assumptions.assumeTrue(Files.isRegularFile(wave),
                "no " + wave + ": the test data lives beside the checkout in CI, not in a user's clone");

        Tensor t = Images.read(wave);
        assertArrayEquals(new long[] {128, 128, 3}, t.shape());
        for (float v : t.toFloatArray()) {
            assertTrue(v >= 0 && v <= 255, "value " + v);
        }
    }

    /** {@code ../shared/data} next to the repository root (the folder of the weft-parent pom itself, not a child's). */
    private static Path sharedData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                String text = Files.isRegularFile(pom) ? Files.readString(pom) : "";
                if (text.contains("<artifactId>weft-parent</artifactId>") && !text.contains("<parent>")) {
                    return p.resolveSibling("shared").resolve("data");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Path.of("..", "shared", "data");
    }
}
