package dev.weft.backend.cuda;

import static jcuda.driver.CUevent_flags.CU_EVENT_DISABLE_TIMING;
import static jcuda.driver.CUresult.CUDA_SUCCESS;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Copies between host {@link MemorySegment}s and device memory, in stream order.
 *
 * <p><b>To the device, without waiting.</b> The host's bytes are copied into a ring of pinned
 * (page-locked) memory and an asynchronous copy from there is queued on the stream, followed by
 * an event; the caller may reuse its segment at once, and the host does not wait for the device.
 * A region of the ring is written again only after the event of the copy that last read it has
 * completed (the oldest copies are waited for when the ring wraps onto them), so a copy queued
 * behind a long kernel never sees its bytes overwritten. Copies bigger than a quarter of the ring
 * go through it in pieces. (An asynchronous copy straight from pageable memory could make the
 * driver wait for the stream.)
 *
 * <p><b>To the host, waiting.</b> A native segment receives the copy directly (the driver
 * returns once a copy to pageable memory is done); a heap segment receives it through the ring.
 * Either way the stream is synchronized before returning: the caller reads the value.
 *
 * <p>Errors: any failed call, including an error of an earlier kernel that surfaces at a wait,
 * goes to the backend's {@link Failures}, which names the kernels that may have caused it.
 */
final class CudaTransfers {
    /** Bytes of pinned memory in the ring. */
    static final long RING = 16L << 20;
    /** The largest piece one staged copy moves. */
    static final long PIECE = RING / 4;
    /** The largest piece one direct copy moves (a ByteBuffer holds at most 2 GiB). */
    static final long DIRECT_PIECE = 1L << 30;
    /** Ring regions start at multiples of this (DMA likes aligned addresses). */
    private static final long ALIGN = 256;

    /** Turns a failed call into the backend's exception. */
    interface Failures {
        RuntimeException failure(int status, String operation);
    }

    /** A ring region [start, end) that a queued copy still reads or writes, until {@code done} completes. */
    record InFlight(long start, long end, CUevent done) {}

    private final CUstream stream;
    private final Failures failures;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ArrayDeque<CUevent> spareEvents = new ArrayDeque<>();
    private Pointer pinned;
    private MemorySegment ring;
    private long head;

    CudaTransfers(CUstream stream, Failures failures) {
        this.stream = stream;
        this.failures = failures;
    }

    /** Queues a copy of all of {@code host} to {@code device} + {@code offset} bytes; waits only if the ring is full. */
    void copyIn(CUdeviceptr device, long offset, MemorySegment host) {
        long size = host.byteSize();
        String operation = "copyIn()";
        for (long done = 0; done < size; done += PIECE) {
            long n = Math.min(PIECE, size - done);
            long at = reserve(n, operation);
            MemorySegment.copy(host, done, ring, at, n);
            check(JCudaDriver.cuMemcpyHtoDAsync(device.withByteOffset(offset + done), pinned.withByteOffset(at), n,
                    stream), operation);
            fence(at, at + n, operation);
        }
    }

    /**
     * Copies {@code host.byteSize()} bytes from {@code device} + {@code offset} into {@code host}
     * after everything queued before, and waits for it (the stream is idle afterwards).
     */
    void copyOut(CUdeviceptr device, long offset, MemorySegment host) {
        long size = host.byteSize();
        String operation = "copyOut()";
        if (host.isNative()) {
            for (long done = 0; done < size; done += DIRECT_PIECE) {
                long n = Math.min(DIRECT_PIECE, size - done);
                Pointer to = Pointer.to(host.asSlice(done, n).asByteBuffer());
                check(JCudaDriver.cuMemcpyDtoHAsync(to, device.withByteOffset(offset + done), n, stream), operation);
            }
            check(JCudaDriver.cuStreamSynchronize(stream), operation);
            settled();
            return;
        }
        for (long done = 0; done < size; done += PIECE) {
            long n = Math.min(PIECE, size - done);
            long at = reserve(n, operation);
            check(JCudaDriver.cuMemcpyDtoHAsync(pinned.withByteOffset(at), device.withByteOffset(offset + done), n,
                    stream), operation);
            check(JCudaDriver.cuStreamSynchronize(stream), operation);
            settled();
            MemorySegment.copy(ring, at, host, done, n);
        }
        if (size == 0) {
            check(JCudaDriver.cuStreamSynchronize(stream), operation);
            settled();
        }
    }

    /** Everything queued so far has completed (the stream was synchronized): the whole ring is free. */
    void settled() {
        while (!inFlight.isEmpty()) {
            spareEvents.push(inFlight.removeFirst().done());
        }
        head = 0;
    }

    /** Bytes of the ring that queued copies may still use. */
    long bytesInFlight() {
        return inFlight.stream().mapToLong(r -> r.end() - r.start()).sum();
    }

    /** Frees the pinned ring and the events; the transfers are not used afterwards. */
    void release() {
        settled();
        for (CUevent e : spareEvents) {
            JCudaDriver.cuEventDestroy(e);
        }
        spareEvents.clear();
        if (pinned != null) {
            JCudaDriver.cuMemFreeHost(pinned);
            pinned = null;
            ring = null;
        }
    }

    /**
     * A region of {@code n} bytes (at most {@link #PIECE}) at the head of the ring, after waiting
     * for the queued copies that still use it: those are the oldest ones, since regions are
     * handed out in ring order. When the region would pass the end of the ring it starts at 0
     * instead, and the skipped tail counts as part of it.
     */
    private long reserve(long n, String operation) {
        if (pinned == null) {
            Pointer p = new Pointer();
            int status = JCudaDriver.cuMemAllocHost(p, RING);
            if (status != CUDA_SUCCESS) {
                throw failures.failure(status, operation + " (allocating " + RING + " bytes of pinned staging memory)");
            }
            pinned = p;
            ring = MemorySegment.ofBuffer(p.getByteBuffer(0, RING));
        }
        if (inFlight.isEmpty()) {
            head = 0;
        }
        long start = (head + ALIGN - 1) / ALIGN * ALIGN;
        boolean wraps = start + n > RING;
        if (wraps) {
            start = 0;
        }
        long end = start + n;
        while (!inFlight.isEmpty() && conflicts(inFlight.peekFirst(), head, start, end, wraps)) {
            InFlight oldest = inFlight.removeFirst();
            check(JCudaDriver.cuEventSynchronize(oldest.done()), operation);
            spareEvents.push(oldest.done());
        }
        head = end;
        return start;
    }

    /**
     * Whether a queued region lies in what a new reservation takes: [start, end), plus, when it
     * wraps to the start of the ring, the tail [head, RING) it skips.
     */
    static boolean conflicts(InFlight r, long head, long start, long end, boolean wraps) {
        return r.start() < end && start < r.end() || wraps && r.end() > head;
    }

    /** Records an event after the copy just queued: region [start, end) is free again once it completes. */
    private void fence(long start, long end, String operation) {
        CUevent e = spareEvents.poll();
        if (e == null) {
            e = new CUevent();
            int status = JCudaDriver.cuEventCreate(e, CU_EVENT_DISABLE_TIMING);
            if (status != CUDA_SUCCESS) {
                throw failures.failure(status, operation + " (creating an event)");
            }
        }
        int status = JCudaDriver.cuEventRecord(e, stream);
        if (status != CUDA_SUCCESS) {
            spareEvents.push(e);
            throw failures.failure(status, operation);
        }
        inFlight.addLast(new InFlight(start, end, e));
    }

    private void check(int status, String operation) {
        if (status != CUDA_SUCCESS) {
            throw failures.failure(status, operation);
        }
    }
}
