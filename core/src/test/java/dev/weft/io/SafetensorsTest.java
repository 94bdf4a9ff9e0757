package dev.weft.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Safetensors}: files another reader accepts (checked with {@link PlainReader}, written
 * here from the format's description), files another writer made (bytes built here), and
 * truncated, corrupted and foreign files, which are errors that leave the caller's state alone.
 */
class SafetensorsTest {
    @TempDir
    Path dir;

    /**
     * An independent reader: the 8-byte little-endian length, the JSON header parsed by a small
     * recursive-descent parser of its own, the raw bytes of each tensor.
     */
    static final class PlainReader {
        final Map<String, Object> header;
        final byte[] data;

        PlainReader(byte[] file) {
            long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            String json = new String(file, 8, (int) n, StandardCharsets.UTF_8);
            int[] at = {0};
            @SuppressWarnings("unchecked")
            Map<String, Object> h = (Map<String, Object>) value(json, at);
            while (at[0] < json.length()) {
                assertEquals(' ', json.charAt(at[0]++), "only spaces pad the header");
            }
            header = h;
            data = Arrays.copyOfRange(file, 8 + (int) n, file.length);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> entry(String name) {
            return (Map<String, Object>) header.get(name);
        }

        ByteBuffer bytes(String name) {
            @SuppressWarnings("unchecked")
            List<Object> off = (List<Object>) entry(name).get("data_offsets");
            int begin = ((Long) off.get(0)).intValue();
            int end = ((Long) off.get(1)).intValue();
            return ByteBuffer.wrap(Arrays.copyOfRange(data, begin, end)).order(ByteOrder.LITTLE_ENDIAN);
        }

        private static Object value(String s, int[] at) {
            skip(s, at);
            char c = s.charAt(at[0]);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                at[0]++;
                skip(s, at);
                if (s.charAt(at[0]) == '}') {
                    at[0]++;
                    return m;
                }
                while (true) {
                    String key = (String) value(s, at);
                    skip(s, at);
                    assertEquals(':', s.charAt(at[0]++));
                    m.put(key, value(s, at));
                    skip(s, at);
                    char d = s.charAt(at[0]++);
                    if (d == '}') {
                        return m;
                    }
                    assertEquals(',', d);
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                at[0]++;
                skip(s, at);
                if (s.charAt(at[0]) == ']') {
                    at[0]++;
                    return l;
                }
                while (true) {
                    l.add(value(s, at));
                    skip(s, at);
                    char d = s.charAt(at[0]++);
                    if (d == ']') {
                        return l;
                    }
                    assertEquals(',', d);
                }
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                at[0]++;
                while (s.charAt(at[0]) != '"') {
                    char x = s.charAt(at[0]++);
                    b.append(x == '\\' ? s.charAt(at[0]++) : x);
                }
                at[0]++;
                return b.toString();
            }
            int start = at[0];
            while (at[0] < s.length() && (Character.isDigit(s.charAt(at[0])) || s.charAt(at[0]) == '-')) {
                at[0]++;
            }
            return Long.parseLong(s.substring(start, at[0]));
        }

        private static void skip(String s, int[] at) {
            while (at[0] < s.length() && Character.isWhitespace(s.charAt(at[0]))) {
                at[0]++;
            }
        }
    }

    @Test
    void aWrittenFileIsWhatTheFormatSays() throws IOException {
        Path f = dir.resolve("a.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1.5f, -2, 3.25f, 0, 7, -0.125f}, 2, 3));
        tensors.put("h", Tensor.of(new float[] {1, -65504, 0.333f}).to(DType.F16));
        tensors.put("n", Tensor.of(new int[] {-7, 2_000_000_000}));
        Safetensors.write(f, tensors, Map.of("format", "weft", "note", "a \"quoted\" value"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to 8 bytes");
        PlainReader r = new PlainReader(bytes);
        assertEquals(Map.of("format", "weft", "note", "a \"quoted\" value"), r.header.get("__metadata__"));
        assertEquals("F32", r.entry("w").get("dtype"));
        assertEquals(List.of(2L, 3L), r.entry("w").get("shape"));
        ByteBuffer w = r.bytes("w");
        for (float x : new float[] {1.5f, -2, 3.25f, 0, 7, -0.125f}) {
            assertEquals(x, w.getFloat());
        }
        assertEquals("F16", r.entry("h").get("dtype"));
        ByteBuffer h = r.bytes("h");
        for (float x : new float[] {1, -65504, 0.333f}) {
            assertEquals(Float.floatToFloat16(x), h.getShort(), "F16 bits of " + x);
        }
        assertEquals("I32", r.entry("n").get("dtype"));
        assertEquals(-7, r.bytes("n").getInt(0));
        assertEquals(2_000_000_000, r.bytes("n").getInt(4));
        assertEquals(24 + 6 + 8, r.data.length, "the data section is exactly the tensors");
    }

    @Test
    void everyDtypeRoundTrips() {
        Path f = dir.resolve("all.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f16", Tensor.of(new float[] {0.5f, 6e-8f, -3}).to(DType.F16));
        tensors.put("f32", Tensor.of(new float[] {Float.MIN_VALUE, Float.NaN, -0f}));
        tensors.put("f64", Tensor.of(new double[] {Math.PI, -1e300}));
        tensors.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, 5}));
        tensors.put("u32", Tensor.of(new int[] {-1, 3}).bitcast(DType.U32));
        tensors.put("i64", Tensor.of(new double[] {Double.longBitsToDouble(Long.MIN_VALUE + 3)}).bitcast(DType.I64));
        tensors.put("u64", Tensor.of(new double[] {Double.longBitsToDouble(-2)}).bitcast(DType.U64));
        tensors.put("bool", Tensor.of(new int[] {1, 0, 1}).to(DType.BOOL));
        tensors.put("scalar", Tensor.of(new float[] {42}).reshape());
        tensors.put("empty", Tensor.zeros(DType.F32, 0, 3));
        tensors.put("grid", Tensor.arange(DType.F32, 24).reshape(2, 3, 4));
        Safetensors.write(f, tensors);
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(c.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(SafetensorsCodec.bytes(e.getValue()), SafetensorsCodec.bytes(got), e.getKey());
        }
        assertEquals(Map.of(), c.metadata());
    }

    /** A file as another writer makes it: keys in another order, metadata last, tab padding refused, spaces kept. */
    private static byte[] foreignFile() {
        String json = "{\"b\":{\"data_offsets\":[8,20],\"shape\":[3],\"dtype\":\"F32\"},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] header = (json + " ".repeat((8 - json.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putLong(-5).putFloat(1).putFloat(2.5f).putFloat(-4);
        return b.array();
    }

    @Test
    void aFileOfAnotherWriterIsRead() throws IOException {
        Path f = dir.resolve("foreign.safetensors");
        Files.write(f, foreignFile());
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("a", "b"), List.copyOf(c.tensors().keySet()), "in data order");
        assertEquals(DType.I64, c.tensors().get("a").dtype());
        assertEquals(-5, Double.doubleToRawLongBits(c.tensors().get("a").bitcast(DType.F64).toDoubleArray()[0]));
        assertArrayEquals(new float[] {1, 2.5f, -4}, c.tensors().get("b").toFloatArray());
        assertEquals(Map.of("format", "pt"), c.metadata());
    }

    private void assertBadFile(byte[] content, String fragment) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(fragment), "message: " + e.getMessage());
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()), "names the file: " + e.getMessage());
    }

    @Test
    void truncatedCorruptedAndForeignFilesAreClearErrors() throws IOException {
        byte[] good = foreignFile();
        assertBadFile(Arrays.copyOf(good, good.length - 3), "is truncated: its header describes 20 bytes of data, but 17");
        assertBadFile(Arrays.copyOf(good, 30), "is truncated: its header needs");
        assertBadFile(new byte[] {1, 2, 3}, "is not a safetensors file: it has 3 bytes");
        assertBadFile("\u0089PNG\r\n\u001a\n and then an image".getBytes(StandardCharsets.ISO_8859_1),
                "is not a safetensors file: its first 8 bytes give a header of");
        byte[] broken = good.clone();
        broken[8] = '[';
        assertBadFile(broken, "its header is not a JSON object");
        byte[] badJson = good.clone();
        badJson[20] = '}';
        assertBadFile(badJson, "is corrupted");
        assertBadFile(withHeader("{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                "of dtype BF16, which Weft has not");
        assertBadFile(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                "(F32 [2], 8 bytes) has data_offsets [0, 4]");
        assertBadFile(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 6), "inside the tensor before it");
        assertBadFile(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 9),
                "5 bytes follow the last tensor's data");
        assertBadFile(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "lacks its dtype, shape or data_offsets");
    }

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .array();
    }

    @Test
    @SuppressWarnings("try") // scopes held for their effect
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.of(new float[] {1, 2})));
        byte[] before = Files.readAllBytes(f);
        Tensor freed;
        try (var scope = Weft.scope()) {
            freed = Tensor.arange(DType.F32, 4).mul(2).eval();
        }
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.of(new float[] {3}));
        bad.put("gone", freed);
        assertThrows(IllegalStateException.class, () -> Safetensors.write(f, bad));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, Map.of("__metadata__",
                Tensor.of(new float[] {1}))));
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(java.io.UncheckedIOException.class, () -> Safetensors.read(dir.resolve("none.safetensors")));
    }
}
