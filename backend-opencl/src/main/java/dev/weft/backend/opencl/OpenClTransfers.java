package dev.weft.backend.opencl;

import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/**
 * Blocking copies between host {@link MemorySegment}s and device buffers; each returns the
 * OpenCL status of the first piece that failed ({@code CL_SUCCESS} if none), for the backend to
 * report with what it was doing. A native segment and a
 * {@code byte[]} heap segment are handed to the driver where they lie; any other heap segment
 * ({@code float[]}, {@code long[]}, ...) goes through a native staging area owned here. Copies
 * are cut into pieces of at most {@value #PIECE} bytes (a {@link java.nio.ByteBuffer} holds at
 * most 2 GiB).
 */
final class OpenClTransfers {
    /** The largest piece one driver call copies. */
    static final long PIECE = 1L << 30;
    private static final long STAGING = 4L << 20;

    private final cl_command_queue queue;
    private Arena arena;
    private MemorySegment staging;

    OpenClTransfers(cl_command_queue queue) {
        this.queue = queue;
    }

    /**
     * Copies all of {@code host} to {@code buffer} from byte {@code offset} ({@code toDevice}), or
     * {@code host.byteSize()} bytes from there into {@code host}; returns when the copy is done.
     */
    int copy(cl_mem buffer, long offset, MemorySegment host, boolean toDevice) {
        long size = host.byteSize();
        boolean direct = direct(host);
        MemorySegment stage = direct || size == 0 ? null : staging(size);
        long piece = direct ? PIECE : STAGING;
        for (long done = 0; done < size; done += piece) {
            long n = Math.min(piece, size - done);
            MemorySegment at = direct ? host.asSlice(done, n) : stage.asSlice(0, n);
            if (!direct && toDevice) {
                MemorySegment.copy(host, done, at, 0, n);
            }
            Pointer p = Pointer.toBuffer(at.asByteBuffer());
            int status = toDevice ? clEnqueueWriteBuffer(queue, buffer, true, offset + done, n, p, 0, null, null)
                    : clEnqueueReadBuffer(queue, buffer, true, offset + done, n, p, 0, null, null);
            if (status != CL_SUCCESS) {
                return status;
            }
            if (!direct && !toDevice) {
                MemorySegment.copy(at, 0, host, done, n);
            }
        }
        return CL_SUCCESS;
    }

    /** Frees the staging area. */
    void release() {
        if (arena != null) {
            arena.close();
            arena = null;
            staging = null;
        }
    }

    /** Whether the driver can read or write the segment in place (native, or a byte[] on the heap). */
    private static boolean direct(MemorySegment segment) {
        return segment.isNative() || segment.heapBase().map(base -> base instanceof byte[]).orElse(false);
    }

    /** The staging area, grown to {@code min(size, STAGING)} bytes if it is smaller. */
    private MemorySegment staging(long size) {
        long want = Math.min(size, STAGING);
        if (staging == null || staging.byteSize() < want) {
            release();
            arena = Arena.ofShared();
            staging = arena.allocate(want, 64);
        }
        return staging;
    }
}
