package dev.weft.memory;

import dev.weft.DType;
import dev.weft.MemoryStats;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-device caching allocator. Freed buffers go to a cache keyed by type and length and
 * are handed out again before the backend is asked for new memory, so a training loop that
 * allocates the same sizes every step reaches a steady state with no backend calls.
 *
 * <p>A buffer is released explicitly ({@link Buffer#free}) or when it becomes unreachable: a
 * phantom reference to each {@link Buffer} lands in a queue that every allocation drains. On
 * allocation failure the allocator empties its cache, runs the garbage collector, drains the
 * queue and retries once before throwing {@link DeviceOutOfMemoryException}.
 *
 * <p>Thread-safe: every method that touches the cache or the counters is synchronized.
 */
public final class CachingAllocator {
    private final Backend backend;
    private final Map<Key, ArrayDeque<BufferHandle>> cache = new HashMap<>();
    private final ReferenceQueue<Buffer> unreachable = new ReferenceQueue<>();
    private final Set<Lease> live = ConcurrentHashMap.newKeySet();
    private long bytesInUse;
    private long bytesCached;
    private long peakBytesInUse;
    private long backendAllocations;
    private boolean closed;

    private record Key(DType dtype, long length) {}

    /** The releasable part of a buffer; reachable from the queue after its buffer is gone. */
    static final class Lease extends PhantomReference<Buffer> {
        private volatile BufferHandle handle;
        private final Key key;
        private volatile String freedBecause;

        Lease(Buffer referent, ReferenceQueue<Buffer> queue, BufferHandle handle, Key key) {
            super(referent, queue);
            this.handle = handle;
            this.key = key;
        }

        BufferHandle handle() {
            return handle;
        }

        String freedBecause() {
            return freedBecause == null ? "the buffer was freed" : freedBecause;
        }
    }

    public CachingAllocator(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** A buffer of {@code length} elements, owned by {@code owner} (null: freed only when unreachable). */
    public synchronized Buffer allocate(DType dtype, long length, ScopeFrame owner) {
        if (closed) {
            throw new IllegalStateException("allocate(): device '" + backend.name() + "' was closed");
        }
        drain();
        Key key = new Key(dtype, length);
        BufferHandle handle = takeCached(key);
        if (handle == null) {
            handle = allocateFromBackend(dtype, length);
        }
        bytesInUse += bytes(key);
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        return new Buffer(this, dtype, length, handle, owner);
    }

    /** Called by the buffer's constructor: tracks it so its memory returns when it is unreachable. */
    synchronized Lease register(Buffer buffer, BufferHandle handle) {
        Lease lease = new Lease(buffer, unreachable, handle, new Key(buffer.dtype(), buffer.length()));
        live.add(lease);
        return lease;
    }

    private BufferHandle allocateFromBackend(DType dtype, long length) {
        try {
            backendAllocations++;
            return backend.alloc(dtype, length);
        } catch (DeviceOutOfMemoryException first) {
            System.gc();
            drainWaiting(); // buffers that became unreachable return to the cache...
            emptyCache();   // ...which then goes back to the backend
            try {
                return backend.alloc(dtype, length);
            } catch (DeviceOutOfMemoryException second) {
                throw new DeviceOutOfMemoryException(String.format(
                        "allocating %d x %s (%d bytes) on device '%s' failed after emptying the cache and "
                                + "collecting garbage: %d bytes are held by live tensors. Free tensors you no longer "
                                + "need, run each step inside Weft.scope(), or use a smaller batch (%s)",
                        length, dtype, length * dtype.bytes(), backend.name(), bytesInUse, second.getMessage()));
            }
        }
    }

    private BufferHandle takeCached(Key key) {
        ArrayDeque<BufferHandle> q = cache.get(key);
        if (q == null || q.isEmpty()) {
            return null;
        }
        bytesCached -= bytes(key);
        return q.pop();
    }

    /** Returns a lease's memory to the cache (idempotent). */
    synchronized void release(Lease lease, String why) {
        BufferHandle h = lease.handle;
        if (h == null) {
            return;
        }
        lease.handle = null;
        lease.freedBecause = why;
        live.remove(lease);
        lease.clear();
        bytesInUse -= bytes(lease.key);
        if (closed) {
            return;
        }
        cache.computeIfAbsent(lease.key, k -> new ArrayDeque<>()).push(h);
        bytesCached += bytes(lease.key);
    }

    /** Releases the memory of buffers that became unreachable since the last call. */
    public synchronized void drain() {
        Reference<? extends Buffer> r;
        while ((r = unreachable.poll()) != null) {
            release((Lease) r, "the buffer was collected");
        }
    }

    private void drainWaiting() {
        try {
            Reference<? extends Buffer> r;
            while ((r = unreachable.remove(50)) != null) {
                release((Lease) r, "the buffer was collected");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives every cached buffer back to the backend. */
    public synchronized void emptyCache() {
        for (ArrayDeque<BufferHandle> q : cache.values()) {
            for (BufferHandle h : q) {
                backend.free(h);
            }
        }
        cache.clear();
        bytesCached = 0;
    }

    /**
     * Frees everything (live buffers included) and marks the allocator closed. Each handle goes
     * back to the backend once: closed first, so that releasing a live buffer does not also put
     * its handle in the cache that is emptied afterwards.
     */
    public synchronized void close(String why) {
        if (closed) {
            return;
        }
        closed = true;
        for (Lease lease : live.toArray(Lease[]::new)) {
            BufferHandle h = lease.handle;
            release(lease, why);
            if (h != null) {
                backend.free(h);
            }
        }
        emptyCache();
    }

    public boolean isClosed() {
        return closed;
    }

    /** In use, peak and cached bytes, taken together after releasing what became unreachable. */
    public synchronized MemoryStats stats() {
        drain();
        return new MemoryStats(bytesInUse, peakBytesInUse, bytesCached);
    }

    /** Bytes held by buffers that are in use (reachable and not freed). */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes held in the cache, ready for reuse. */
    public long bytesCached() {
        return bytesCached;
    }

    public long peakBytesInUse() {
        return peakBytesInUse;
    }

    /** How many times the backend was asked for memory (cache misses). */
    public long backendAllocations() {
        return backendAllocations;
    }

    private static long bytes(Key key) {
        return key.length() * key.dtype().bytes();
    }
}
