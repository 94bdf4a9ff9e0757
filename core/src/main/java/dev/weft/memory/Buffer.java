package dev.weft.memory;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import dev.weft.trace.BufferRef;

/**
 * A device buffer as the core sees it: a handle from a {@link CachingAllocator}, returned to
 * that allocator when the buffer becomes unreachable or when the {@link ScopeFrame} that owns it
 * closes, whichever comes first.
 *
 * <p>While an evaluation runs, the effects of it that write this buffer and have not run yet
 * are counted here, so the scheduler runs writers before readers (only under its lock).
 */
public final class Buffer implements BufferRef {
    private final CachingAllocator allocator;
    private final DType dtype;
    private final long length;
    private final CachingAllocator.Lease lease;
    private ScopeFrame owner;
    private int pendingWrites;

    Buffer(CachingAllocator allocator, DType dtype, long length, BufferHandle handle, ScopeFrame owner) {
        this.allocator = allocator;
        this.dtype = dtype;
        this.length = length;
        this.owner = owner;
        this.lease = allocator.register(this, handle);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    public CachingAllocator allocator() {
        return allocator;
    }

    /**
     * The backend handle.
     *
     * @throws IllegalStateException if the buffer was freed (its scope closed or its device closed)
     */
    public BufferHandle handle() {
        BufferHandle h = lease.handle();
        if (h == null) {
            throw new IllegalStateException(lease.freedBecause() + "; keep the tensor with scope.keep(t) or "
                    + "create it outside the scope");
        }
        return h;
    }

    public boolean isFreed() {
        return lease.handle() == null;
    }

    /** Frees now (idempotent); later uses of {@link #handle()} throw with {@code why}. */
    public void free(String why) {
        allocator.release(lease, why);
    }

    public ScopeFrame owner() {
        return owner;
    }

    public void setOwner(ScopeFrame owner) {
        this.owner = owner;
    }

    public int pendingWrites() {
        return pendingWrites;
    }

    public void addPendingWrite() {
        pendingWrites++;
    }

    public void removePendingWrite() {
        pendingWrites--;
    }

    public void clearPendingWrites() {
        pendingWrites = 0;
    }

    @Override
    public String toString() {
        return "Buffer[" + dtype + " x " + length + (isFreed() ? ", freed" : "") + "]";
    }
}
