package dev.weft.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors in the safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets":
 * [begin, end]}, ...}}, padded with spaces to a multiple of 8 bytes), then the raw little-endian
 * data, offsets counted from the end of the header. Files interchange with other frameworks'
 * readers and writers of the format (F16, F32, F64, I32, U32, I64, U64 and BOOL tensors).
 *
 * {@snippet :
 * Safetensors.write(Path.of("state.safetensors"), Map.of("w", w), Map.of("format", "weft"));
 * Safetensors.Contents c = Safetensors.read(Path.of("state.safetensors"));
 * Tensor w2 = c.tensors().get("w");
 * }
 *
 * <p>Writing is atomic: the file is written beside the target under a temporary name, forced to
 * disk and renamed over the target, so a failure (a tensor that cannot be read, a full disk)
 * leaves the target as it was. Reading validates the whole file before it returns anything: a
 * truncated, corrupted or foreign file is an {@link IllegalArgumentException} that names the
 * file and what is wrong; I/O failures are {@link UncheckedIOException}s. Layers and optimizers
 * save their state through this class (a key per tensor, their settings in the metadata).
 */
public final class Safetensors {
    /** The header key of the string-to-string metadata. */
    public static final String METADATA = "__metadata__";
    /** The largest header read (the format's own readers refuse larger ones too). */
    static final long MAX_HEADER = 100L << 20;

    private static final JsonFactory JSON = new JsonFactory();

    private Safetensors() {}

    /**
     * What a file holds.
     *
     * @param tensors  the tensors by name, in the order of their data in the file (read-only)
     * @param metadata the {@code __metadata__} entries (read-only; empty if the file has none)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in the map's order) and {@code metadata} to {@code file}, replacing
     * it atomically. The tensors are evaluated and read first.
     *
     * @throws IllegalArgumentException for the reserved name {@code __metadata__} or an empty name
     * @throws UncheckedIOException if the file cannot be written (the target is unchanged)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(file, "Safetensors.write(): file");
        Objects.requireNonNull(tensors, "Safetensors.write(): tensors");
        Objects.requireNonNull(metadata, "Safetensors.write(): metadata");
        List<byte[]> data = new ArrayList<>();
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            Objects.requireNonNull(name, "Safetensors.write(): a tensor name");
            Objects.requireNonNull(t, "Safetensors.write(): tensor \"" + name + "\"");
            checkArgument(!name.isEmpty() && !name.equals(METADATA), "Safetensors.write(): \"%s\" cannot name a "
                    + "tensor (empty, or the format's metadata key)", name);
            ordered.put(name, t);
            data.add(SafetensorsCodec.bytes(t));
        });
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "Safetensors.write(): a metadata key");
            Objects.requireNonNull(v, "Safetensors.write(): the metadata value of \"" + k + "\"");
        });
        byte[] header = header(ordered, data, metadata);
        replace(file, header, data);
    }

    /**
     * Reads every tensor of {@code file} onto the current device, after validating the file.
     *
     * @throws IllegalArgumentException if the file is not a valid safetensors file (truncated,
     *     corrupted, another format) or holds a dtype Weft has not
     * @throws UncheckedIOException if it cannot be read
     */
    public static Contents read(Path file) {
        Objects.requireNonNull(file, "Safetensors.read(): file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.read(): cannot read " + file.toAbsolutePath() + ": " + e, e);
        }
        SafetensorsHeader h = SafetensorsHeader.parse(file, bytes);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : h.entries()) {
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (h.dataStart() + e.begin()), (int) (e.end() - e.begin()))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(e.name(), SafetensorsCodec.tensor(e.dtype(), e.shape(), slice));
        }
        return new Contents(tensors, h.metadata());
    }

    private static byte[] header(Map<String, Tensor> tensors, List<byte[]> data, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            int i = 0;
            for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
                long size = data.get(i++).length;
                g.writeObjectFieldStart(t.getKey());
                g.writeStringField("dtype", SafetensorsCodec.name(t.getValue().dtype()));
                g.writeArrayFieldStart("shape");
                for (long d : t.getValue().shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + size);
                g.writeEndArray();
                g.writeEndObject();
                offset += size;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new AssertionError("writing JSON to memory", e);
        }
        byte[] json = out.toByteArray();
        int padded = (json.length + 7) & ~7;
        byte[] header = new byte[padded];
        java.util.Arrays.fill(header, (byte) ' ');
        System.arraycopy(json, 0, header, 0, json.length);
        return header;
    }

    /** Writes the file under a temporary name beside {@code file}, then renames it over {@code file}. */
    private static void replace(Path file, byte[] header, List<byte[]> data) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, length);
                writeFully(ch, ByteBuffer.wrap(header));
                for (byte[] d : data) {
                    writeFully(ch, ByteBuffer.wrap(d));
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.write(): cannot write " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
