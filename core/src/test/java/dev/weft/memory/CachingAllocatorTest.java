package dev.weft.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching allocator: reuse, release on scope close or unreachability, and the out-of-memory path. */
class CachingAllocatorTest {

    @Test
    void freedBufferIsReusedWithoutAskingTheBackend() {
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(Long.MAX_VALUE));
        Buffer first = a.allocate(DType.F32, 100, null);
        first.free("test");
        a.allocate(DType.F32, 100, null);
        assertEquals(1, a.backendAllocations());
        assertEquals(400, a.bytesInUse());
        assertEquals(0, a.bytesCached());
    }

    @Test
    void usingAFreedBufferNamesTheReason() {
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(Long.MAX_VALUE));
        Buffer b = a.allocate(DType.F32, 4, null);
        b.free("its scope closed");
        IllegalStateException e = assertThrows(IllegalStateException.class, b::handle);
        assertTrue(e.getMessage().contains("its scope closed"), e.getMessage());
    }

    @Test
    void outOfMemoryRetriesAfterCollectingUnreachableBuffers() {
        // room for four buffers of 1000 floats; the fifth succeeds only once dropped ones are reclaimed
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(16_000));
        for (int i = 0; i < 4; i++) {
            a.allocate(DType.F32, 1000, null); // dropped at once
        }
        Buffer fifth = a.allocate(DType.F32, 999, null); // another size: the cache cannot serve it
        assertNotNull(fifth.handle());
        assertFalse(fifth.isFreed());
    }

    @Test
    void outOfMemoryWithEverythingHeldThrowsWithTheFigures() {
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(8_000));
        List<Buffer> held = new ArrayList<>();
        held.add(a.allocate(DType.F32, 1000, null));
        held.add(a.allocate(DType.F32, 1000, null));
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                () -> a.allocate(DType.F32, 10, null));
        assertTrue(e.getMessage().contains("8000 bytes are held by live tensors"), e.getMessage());
        assertTrue(e.getMessage().contains("Weft.scope()"), e.getMessage());
        assertEquals(2, held.size());
    }

    /** Issue 9: close() put live buffers into its cache, then freed them, then emptied the cache. */
    @Test
    void closingGivesEachBufferBackToTheBackendOnce() {
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(Long.MAX_VALUE));
        Buffer live = a.allocate(DType.F32, 100, null);
        a.allocate(DType.F32, 50, null).free("a scope closed"); // cached
        a.close("device closed"); // the reference backend throws on a second free of a handle
        assertTrue(live.isFreed());
        assertEquals(0, a.bytesCached());
    }

    @Test
    void closingFreesEverythingAndRefusesNewBuffers() {
        CachingAllocator a = new CachingAllocator(new ReferenceBackend(Long.MAX_VALUE));
        Buffer b = a.allocate(DType.F64, 8, null);
        a.close("device closed");
        assertTrue(b.isFreed());
        assertEquals(0, a.bytesInUse());
        assertThrows(IllegalStateException.class, () -> a.allocate(DType.F64, 8, null));
    }
}
