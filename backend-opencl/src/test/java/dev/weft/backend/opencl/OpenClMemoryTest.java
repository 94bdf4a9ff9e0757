package dev.weft.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Buffers: copies in and out at element offsets of every type from every kind of host segment,
 * fills with canonical bits, the guards on ranges and freed buffers, close, and running out of
 * memory at {@code alloc}. Expected contents are built on the host beside the device's.
 */
class OpenClMemoryTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void copiesAtOddOffsetsAndSizesLandExactlyThere(DType type) {
        OpenClBackend b = OpenClTesting.backend();
        for (int count : new int[] {1, 3, 7, 1000, 4099}) {
            int extra = 13;
            BufferHandle h = b.alloc(type, count + extra);
            byte[] host = OpenClTesting.randomBits(type, count + extra, count);
            b.copyIn(h, 0, MemorySegment.ofArray(host));
            // overwrite [5, 5 + part) from the middle of a larger host array (a slice at an odd byte offset)
            int part = Math.max(1, count - 3);
            byte[] source = OpenClTesting.randomBits(type, part + 2, 77 + count);
            MemorySegment slice = MemorySegment.ofArray(source).asSlice(type.bytes(), (long) part * type.bytes());
            b.copyIn(h, 5, slice);
            byte[] expected = host.clone();
            System.arraycopy(source, type.bytes(), expected, 5 * type.bytes(), part * type.bytes());

            byte[] all = new byte[(count + extra) * type.bytes()];
            b.copyOut(h, 0, MemorySegment.ofArray(all));
            assertArrayEquals(expected, all, type + " x " + count);
            // read back a window at an odd offset into the middle of a host array
            byte[] window = new byte[(part + 4) * type.bytes()];
            b.copyOut(h, 3, MemorySegment.ofArray(window).asSlice(2L * type.bytes(), (long) part * type.bytes()));
            assertArrayEquals(Arrays.copyOfRange(expected, 3 * type.bytes(), (3 + part) * type.bytes()),
                    Arrays.copyOfRange(window, 2 * type.bytes(), (2 + part) * type.bytes()));
            assertTrue(isZero(window, 0, 2 * type.bytes()) && isZero(window, (2 + part) * type.bytes(), window.length),
                    "copyOut wrote outside its window");
            b.free(h);
        }
    }

    @Test
    void nativeAndNonByteHeapSegmentsCopyLikeByteArrays() {
        OpenClBackend b = OpenClTesting.backend();
        int n = 3_000_001; // more than the staging area holds, so non-byte heap arrays go through it in pieces
        float[] values = new float[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            values[i] = (float) r.nextGaussian();
        }
        BufferHandle h = b.alloc(DType.F32, n);
        b.copyIn(h, 0, MemorySegment.ofArray(values));
        float[] back = new float[n];
        b.copyOut(h, 0, MemorySegment.ofArray(back));
        assertArrayEquals(values, back);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate((long) n * 4);
            b.copyOut(h, 0, nat);
            assertArrayEquals(values, nat.toArray(ValueLayout.JAVA_FLOAT));
            nat.set(ValueLayout.JAVA_FLOAT, 4L * 7, 42f);
            b.copyIn(h, 7, nat.asSlice(4L * 7, 4));
        }
        long[] one = new long[1];
        BufferHandle l = b.alloc(DType.I64, 2);
        b.copyIn(l, 1, MemorySegment.ofArray(new long[] {-3}));
        b.copyOut(l, 1, MemorySegment.ofArray(one));
        assertEquals(-3, one[0]);
        float[] seven = new float[1];
        b.copyOut(h, 7, MemorySegment.ofArray(seven));
        assertEquals(42f, seven[0]);
        b.free(h);
        b.free(l);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void fillWritesTheCanonicalBitsOfEveryTypeAndNothingElse(DType type) {
        OpenClBackend b = OpenClTesting.backend();
        long bits = switch (type) {
            case F16 -> 0xBC00; // -1.0
            case F32 -> Float.floatToRawIntBits(-2.5f);
            case F64 -> Double.doubleToRawLongBits(Math.PI);
            case I32 -> -7;
            case U32 -> 0xFFFF_FFFEL;
            case I64 -> Long.MIN_VALUE + 3;
            case U64 -> -1;
            case BOOL -> 1;
        };
        int n = 1001;
        BufferHandle h = b.alloc(type, n);
        b.fill(h, 0, n, 0);
        b.fill(h, 3, 995, bits);
        b.fill(h, 500, 0, 0); // an empty fill changes nothing
        byte[] out = new byte[n * type.bytes()];
        b.copyOut(h, 0, MemorySegment.ofArray(out));
        for (int i = 0; i < n; i++) {
            long expected = i >= 3 && i < 998 ? bits : 0;
            assertEquals(expected, OpenClTesting.read(out, type, i), type + " element " + i);
        }
        b.free(h);
    }

    @Test
    void emptyBuffersAndEmptyCopiesAreFine() {
        OpenClBackend b = OpenClTesting.backend();
        BufferHandle h = b.alloc(DType.BOOL, 0);
        assertEquals(0, h.count());
        b.copyIn(h, 0, MemorySegment.ofArray(new byte[0]));
        b.copyOut(h, 0, MemorySegment.ofArray(new byte[0]));
        b.fill(h, 0, 0, 1);
        b.free(h);
    }

    @Test
    void rangesOutsideTheBufferAreRejectedAndChangeNothing() {
        OpenClBackend b = OpenClTesting.backend();
        BufferHandle h = b.alloc(DType.F32, 10);
        b.fill(h, 0, 10, Float.floatToRawIntBits(1f));
        var e = assertThrows(IllegalArgumentException.class, () -> b.copyIn(h, 8, MemorySegment.ofArray(new float[3])));
        assertEquals("copyIn(): elements [8, 11) are outside the buffer of 10 F32 elements", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.copyOut(h, -1, MemorySegment.ofArray(new float[1])));
        assertThrows(IllegalArgumentException.class, () -> b.fill(h, 5, 6, 0));
        var partial = assertThrows(IllegalArgumentException.class, () -> b.copyIn(h, 0, MemorySegment.ofArray(new byte[6])));
        assertTrue(partial.getMessage().contains("not a whole number of F32 elements"), partial.getMessage());
        float[] out = new float[10];
        b.copyOut(h, 0, MemorySegment.ofArray(out));
        float[] ones = new float[10];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, out);
        b.free(h);
    }

    @Test
    void aFreedBufferCannotBeUsedOrFreedAgain() {
        OpenClBackend b = OpenClTesting.backend();
        BufferHandle h = b.alloc(DType.I32, 4);
        b.free(h);
        var e = assertThrows(IllegalStateException.class, () -> b.copyOut(h, 0, MemorySegment.ofArray(new int[4])));
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.free(h));
    }

    @Test
    void buffersOfAnotherDeviceAreRejected() {
        OpenClBackend b = OpenClTesting.backend();
        try (OpenClBackend other = OpenClTesting.fresh()) {
            BufferHandle foreign = other.alloc(DType.F32, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> b.fill(foreign, 0, 4, 0));
            assertTrue(e.getMessage().contains("does not belong to"), e.getMessage());
        }
    }

    @Test
    void closeFreesEverythingOnceAndLaterCallsSayTheBackendIsClosed() {
        OpenClBackend b = OpenClTesting.fresh();
        BufferHandle kept = b.alloc(DType.F64, 1000);
        b.alloc(DType.U64, 10);
        assertEquals(8000 + 80, b.bytesInUse());
        b.close();
        assertEquals(0, b.bytesInUse());
        b.close(); // idempotent
        b.free(kept); // nothing left to free
        var e = assertThrows(IllegalStateException.class, () -> b.alloc(DType.F32, 1));
        assertTrue(e.getMessage().contains("closed backend"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.copyOut(kept, 0, MemorySegment.ofArray(new double[1])));
    }

    @Test
    void aBufferLargerThanTheDeviceAllowsFailsAtAllocWithTheSizes() {
        OpenClBackend b = OpenClTesting.backend();
        long elements = b.device().maxAllocationBytes() / 4 + 1;
        var e = assertThrows(DeviceOutOfMemoryException.class, () -> b.alloc(DType.F32, elements));
        assertTrue(e.getMessage().contains("alloc() of " + elements + " F32 elements (" + elements * 4 + " bytes)")
                && e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
    }

    @Test
    void allocationsBeyondTheDevicesMemoryFailAtAllocAndSucceedAgainAfterAFree() {
        // Buffers of the largest allowed size until the device's memory is spoken for. The
        // one-byte write that forces each allocation touches one page, so this costs little host
        // memory even where the device is the host (PoCL).
        OpenClBackend b = OpenClTesting.fresh();
        try {
            long size = b.device().maxAllocationBytes();
            List<BufferHandle> held = new ArrayList<>();
            DeviceOutOfMemoryException full = null;
            while (full == null) {
                try {
                    held.add(b.alloc(DType.U64, size / 8));
                } catch (DeviceOutOfMemoryException e) {
                    full = e;
                }
            }
            assertTrue(held.size() * size <= b.device().globalMemoryBytes());
            String message = full.getMessage();
            assertTrue(message.contains("alloc() of " + size / 8 + " U64 elements (" + size + " bytes)"), message);
            b.free(held.removeLast());
            held.add(b.alloc(DType.U64, size / 8)); // what the core's retry relies on: freed memory is available again
            held.forEach(b::free);
            assertEquals(0, b.bytesInUse());
        } finally {
            b.close();
        }
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
