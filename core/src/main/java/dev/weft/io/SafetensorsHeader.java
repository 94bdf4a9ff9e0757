package dev.weft.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file: every entry's dtype, shape and data
 * range, checked against each other and against the file's length before any tensor is made.
 *
 * @param entries   the tensors, in the order of their data
 * @param metadata  the {@code __metadata__} strings
 * @param dataStart the byte at which the data begins (8 + the header length)
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {

    /** One tensor's description; {@code begin} and {@code end} count from {@code dataStart}. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static final JsonFactory JSON = new JsonFactory();

    /** The header of {@code bytes}, the whole content of {@code file}. */
    static SafetensorsHeader parse(Path file, byte[] bytes) {
        String where = "Safetensors.read(): " + file.toAbsolutePath();
        if (bytes.length < 8) {
            throw new IllegalArgumentException(where + " is not a safetensors file: it has " + bytes.length
                    + " bytes, fewer than the 8 of the header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > Safetensors.MAX_HEADER) {
            throw new IllegalArgumentException(where + " is not a safetensors file: its first 8 bytes give a header "
                    + "of " + Long.toUnsignedString(n) + " bytes (a header has 2 bytes to 100 MiB)");
        }
        if (8 + n > bytes.length) {
            throw new IllegalArgumentException(where + " is truncated: its header needs " + n + " bytes, but "
                    + (bytes.length - 8) + " follow the header length");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(bytes, 8, (int) n)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, where, "its header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(Safetensors.METADATA)) {
                    metadata(p, metadata, where);
                } else {
                    boolean fresh = entries.stream().noneMatch(e -> e.name().equals(name));
                    expect(fresh, where, "tensor \"" + name + "\" appears twice in the header");
                    entries.add(entry(p, name, where));
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT, where, "its header is not a JSON object");
            expect(p.nextToken() == null, where, "its header has more after the JSON object");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is corrupted: its header is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new AssertionError("reading JSON from memory", e);
        }
        long data = bytes.length - 8 - n;
        checkLayout(entries, data, where);
        entries.sort(Comparator.comparingLong(Entry::begin));
        return new SafetensorsHeader(entries, metadata, 8 + n);
    }

    private static void metadata(JsonParser p, Map<String, String> out, String where) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, where, "its __metadata__ is not an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            expect(p.nextToken() == JsonToken.VALUE_STRING, where, "__metadata__ entry \"" + key + "\" is not a string");
            out.put(key, p.getText());
        }
    }

    private static Entry entry(JsonParser p, String name, String where) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, where, "tensor \"" + name + "\" is not described by an object");
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    expect(value == JsonToken.VALUE_STRING, where, "tensor \"" + name + "\" has a dtype that is not a string");
                    dtype = p.getText();
                }
                case "shape" -> shape = naturals(p, name, "shape", where);
                case "data_offsets" -> offsets = naturals(p, name, "data_offsets", where);
                default -> p.skipChildren();
            }
        }
        expect(dtype != null && shape != null && offsets != null, where, "tensor \"" + name + "\" lacks its dtype, "
                + "shape or data_offsets");
        DType type = SafetensorsCodec.dtype(dtype);
        if (type == null) {
            throw new IllegalArgumentException(where + " holds tensor \"" + name + "\" of dtype " + dtype + ", which "
                    + "Weft has not (it reads " + SafetensorsCodec.supported() + ")");
        }
        expect(offsets.length == 2 && offsets[0] <= offsets[1], where, "tensor \"" + name + "\" has data_offsets "
                + Arrays.toString(offsets) + "; they must be [begin, end] with begin <= end");
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyHigh(count, d) != 0 || count * d > Integer.MAX_VALUE ? -1 : count * d;
            expect(count >= 0, where, "tensor \"" + name + "\" has shape " + Arrays.toString(shape) + ", more "
                    + "elements than a Weft tensor holds");
        }
        long expected = count * type.bytes();
        expect(offsets[1] - offsets[0] == expected, where, "tensor \"" + name + "\" (" + dtype + " "
                + Arrays.toString(shape) + ", " + expected + " bytes) has data_offsets " + Arrays.toString(offsets));
        return new Entry(name, type, shape, offsets[0], offsets[1]);
    }

    private static long[] naturals(JsonParser p, String name, String field, String where) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, where, "tensor \"" + name + "\" has a " + field
                + " that is not an array");
        List<Long> values = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            long v = p.getLongValue();
            expect(v >= 0, where, "tensor \"" + name + "\" has a negative number in its " + field);
            values.add(v);
        }
        expect(p.currentToken() == JsonToken.END_ARRAY, where, "tensor \"" + name + "\" has a " + field
                + " that is not an array of integers");
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** The data ranges tile the data section exactly: no gap, no overlap, nothing missing or left over. */
    private static void checkLayout(List<Entry> entries, long data, String where) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        long at = 0;
        for (Entry e : sorted) {
            expect(e.begin() == at, where, "tensor \"" + e.name() + "\" begins at data byte " + e.begin()
                    + (e.begin() < at ? ", inside the tensor before it" : ", leaving a gap after byte " + at));
            at = e.end();
        }
        if (at > data) {
            throw new IllegalArgumentException(where + " is truncated: its header describes " + at + " bytes of data, "
                    + "but " + data + " follow the header");
        }
        expect(at == data, where, (data - at) + " bytes follow the last tensor's data");
    }

    private static void expect(boolean ok, String where, String what) {
        if (!ok) {
            throw new IllegalArgumentException(where + " is corrupted: " + what);
        }
    }
}
