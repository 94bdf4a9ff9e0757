package dev.weft.backend.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static jcuda.driver.CUresult.CUDA_SUCCESS;
import static jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device: its primary context ({@link CudaContext}) and one stream, buffers
 * ({@link CudaBuffer}), PTX modules ({@link CudaCompiler}), launches with one parameter block
 * ({@link CudaKernel}) and a tiled {@code gemm} ({@link CudaGemm}).
 *
 * <p><b>Asynchronous.</b> Launches, fills, {@code gemm} and copies to the device are queued on
 * the stream and return at once (a copy to the device goes through pinned staging memory,
 * {@link CudaTransfers}); the host waits only where it reads: {@link #copyOut} and
 * {@link #synchronize()}. The stream runs in order, so a copy sees every launch queued before
 * it. A failure that surfaces at a wait names the kernels launched since the last one, since any
 * of them may have caused it.
 *
 * <p><b>Memory in stream order.</b> {@link #free} does not give memory back to the driver at
 * once: a kernel queued before may still use it. Freed buffers wait in a list that is released
 * after the next wait that finds the stream idle ({@link #synchronize()}, {@link #copyOut}), and
 * before an allocation that found the device full is retried (after waiting for the stream).
 * Buffers that the core's caching allocator hands out again never reach this backend, and all
 * work on them stays in stream order. {@link #alloc} maps {@code CUDA_ERROR_OUT_OF_MEMORY} to
 * {@link DeviceOutOfMemoryException}, so the core can empty its cache and retry.
 *
 * <p><b>Errors.</b> A failed call is a {@link CudaException} naming the operation, the kernels and
 * the {@code CUDA_ERROR_*}. The context stays usable after the errors CUDA recovers from (a launch
 * the driver refuses, an allocation without room); after a sticky error (a kernel's illegal
 * address, for one) CUDA keeps failing every call, so this backend then refuses further work with
 * an {@link IllegalStateException} naming the original error; {@link #close()} still works.
 *
 * <p><b>Kernels of the core.</b> {@link #compile(Kernel)} needs the PTX renderer of the lowered
 * form (issue 17). Until then, PTX is loaded with {@link #buildAll} and launched with
 * {@link #launch(CudaKernel, BufferHandle[], long[], long)}, the interface the renderer will use.
 */
public final class CudaBackend implements Backend {
    /** How many kernel names a failure report lists at most. */
    private static final int PENDING_NAMES = 8;

    private final CudaDevice device;
    private final String label;
    private final CudaContext context;
    private final CUstream stream = new CUstream();
    private final CudaCompiler compiler;
    private final CudaTransfers transfers;
    private final CudaGemm gemm;
    private final Set<CudaBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Freed by the core, still held until the stream has passed every use queued before the free. */
    private final List<CudaBuffer> freeing = new ArrayList<>();
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private long pendingCount;
    private long bytesHeld;
    private boolean closed;
    /** Why the context is unusable (a sticky error), or null. */
    private String unusableBecause;

    CudaBackend(CudaDevice device) {
        this.device = device;
        this.label = "cuda:" + device.ordinal() + " (" + device.name() + ")";
        this.context = new CudaContext(device, label);
        int status = JCudaDriver.cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
        if (status != CUDA_SUCCESS) {
            context.release();
            throw CudaErrors.failure(status, "cuStreamCreate", label);
        }
        this.compiler = new CudaCompiler(device, this);
        this.transfers = new CudaTransfers(stream, this::failure);
        this.gemm = new CudaGemm(compiler::build);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return device.describe();
    }

    /** The device's facts (compute capability, memory, limits). */
    CudaDevice device() {
        return device;
    }

    /** None: the lowering of issue 15 turns every macro-op into the loops and atomics PTX has. */
    @Override
    public Set<Op> capabilities() {
        return EnumSet.noneOf(Op.class);
    }

    @Override
    public BufferHandle alloc(DType dtype, long count) {
        enter("alloc()");
        checkArgument(count >= 0, "alloc(): negative count %s", count);
        long bytes;
        try {
            bytes = CudaBuffer.bytesFor(dtype, count);
        } catch (ArithmeticException e) {
            throw outOfMemory(dtype, count, "the size does not fit in 64 bits");
        }
        if (bytes > device.totalMemoryBytes()) {
            throw outOfMemory(dtype, count, "the device has " + device.totalMemoryBytes() + " bytes in all");
        }
        CudaPointer pointer = new CudaPointer();
        int status = JCudaDriver.cuMemAlloc(pointer, bytes);
        if (CudaErrors.isOutOfMemory(status) && !freeing.isEmpty()) {
            synchronize(); // then the buffers freed in stream order go back to the driver; try again
            status = JCudaDriver.cuMemAlloc(pointer, bytes);
        }
        if (CudaErrors.isOutOfMemory(status)) {
            throw outOfMemory(dtype, count, "the driver answered CUDA_ERROR_OUT_OF_MEMORY");
        }
        if (status != CUDA_SUCCESS) {
            throw failure(status, "alloc() of " + count + " " + dtype + " elements (" + bytes + " bytes)");
        }
        CudaBuffer buffer = new CudaBuffer(dtype, count, bytes, pointer, this);
        live.add(buffer);
        bytesHeld += bytes;
        return buffer;
    }

    @Override
    public void free(BufferHandle buffer) {
        CudaBuffer b = owned(buffer, "free()");
        if (closed && b.freed) {
            return; // close() already released it
        }
        checkOpen("free()");
        if (b.freed) {
            throw new IllegalStateException("free(): the buffer of " + b + " was already freed");
        }
        b.freed = true;
        live.remove(b);
        freeing.add(b);
    }

    @Override
    public void copyIn(BufferHandle dst, long dstOffset, MemorySegment src) {
        CudaBuffer b = checked(dst, "copyIn()");
        long count = elements("copyIn()", src, b.dtype());
        checkRange("copyIn()", b, dstOffset, count);
        transfers.copyIn(b.pointer, dstOffset * b.dtype().bytes(), src);
    }

    @Override
    public void copyOut(BufferHandle src, long srcOffset, MemorySegment dst) {
        CudaBuffer b = checked(src, "copyOut()");
        long count = elements("copyOut()", dst, b.dtype());
        checkRange("copyOut()", b, srcOffset, count);
        transfers.copyOut(b.pointer, srcOffset * b.dtype().bytes(), dst);
        settled();
    }

    /**
     * Queues {@code cuMemsetD8/D16/D32Async} by element size; 64-bit values whose halves differ
     * are two strided 32-bit fills ({@code cuMemsetD2D32Async}, a pitch of 8 bytes).
     */
    @Override
    public void fill(BufferHandle dst, long offset, long count, long bits) {
        CudaBuffer b = checked(dst, "fill()");
        checkRange("fill()", b, offset, count);
        if (count == 0) {
            return;
        }
        int size = b.dtype().bytes();
        CUdeviceptr at = b.at(offset * size);
        int status = switch (size) {
            case 1 -> JCudaDriver.cuMemsetD8Async(at, (byte) (b.dtype() == DType.BOOL ? (bits != 0 ? 1 : 0) : bits),
                    count, stream);
            case 2 -> JCudaDriver.cuMemsetD16Async(at, (short) bits, count, stream);
            case 4 -> JCudaDriver.cuMemsetD32Async(at, (int) bits, count, stream);
            default -> fill64(at, count, bits);
        };
        if (status != CUDA_SUCCESS) {
            throw failure(status, "fill() of " + count + " " + b.dtype() + " elements");
        }
    }

    private int fill64(CUdeviceptr at, long count, long bits) {
        int low = (int) bits;
        int high = (int) (bits >>> 32);
        if (low == high) {
            return JCudaDriver.cuMemsetD32Async(at, low, 2 * count, stream);
        }
        int status = JCudaDriver.cuMemsetD2D32Async(at, 8, low, 1, count, stream);
        return status != CUDA_SUCCESS ? status : JCudaDriver.cuMemsetD2D32Async(at.withByteOffset(4), 8, high, 1, count,
                stream);
    }

    /**
     * Not yet: rendering a core kernel to PTX needs the lowered form and {@code CudaRenderer}
     * (issue 17); the provider reports the backend unavailable until then.
     */
    @Override
    public Program compile(Kernel kernel) {
        enter("compile()");
        throw new IllegalStateException("cuda: compile(" + kernel.name() + ") needs the PTX renderer of the lowered "
                + "form (issue 17), which this build does not have; run Weft on the cpu backend meanwhile");
    }

    /**
     * Loads one PTX kernel, or finds it in the cache.
     *
     * @throws dev.weft.KernelCompileException with the module's PTX and the JIT log when the driver refuses it
     */
    public CudaKernel build(CudaSource source) {
        enter("build()");
        return compiler.build(source);
    }

    /**
     * Loads many kernels as one PTX module (the ones not in the cache), one kernel per source in
     * order. Renderers collect the kernels they will need and load them here at once.
     *
     * @throws dev.weft.KernelCompileException for a kernel that does not load, with its module's PTX and the JIT log
     */
    public List<CudaKernel> buildAll(List<CudaSource> sources) {
        enter("buildAll()");
        return compiler.buildAll(sources);
    }

    /** The PTX module that {@link #buildAll} would load for these sources (header included). */
    public String moduleText(List<CudaSource> sources) {
        return compiler.moduleText(sources);
    }

    /** {@code cuModuleLoadDataEx} calls made so far (a cache hit makes none). */
    public int moduleLoads() {
        return compiler.moduleLoads();
    }

    /** Seconds spent in {@code cuModuleLoadDataEx} so far (the driver compiling PTX). */
    public double loadSeconds() {
        return compiler.loadSeconds();
    }

    @Override
    public void launch(Program program, BufferHandle[] buffers, long[] params, long n) {
        CudaProgram p = (CudaProgram) program;
        Kernel k = p.kernel();
        checkArgument(buffers.length == k.slots().size() && params.length == k.params().size(),
                "launch(): kernel %s takes %s buffers and %s parameters, got %s and %s", p.code(), k.slots().size(),
                k.params().size(), buffers.length, params.length);
        checkArgument(n >= 0 && n <= Integer.MAX_VALUE, "launch(): %s lanes; the lane index is I32, so 0 <= n < 2^31", n);
        long[] words = new long[1 + params.length];
        words[0] = n;
        System.arraycopy(params, 0, words, 1, params.length);
        launch(p.code(), buffers, words, n);
    }

    /**
     * Queues {@code kernel} over at least {@code threads} threads: {@code ceil(threads /
     * blockSize)} blocks, so the kernel guards the ones past what it needs. The parameter block
     * is {@code words} followed by the device address of each buffer. Nothing runs for 0 threads.
     */
    public void launch(CudaKernel kernel, BufferHandle[] buffers, long[] words, long threads) {
        checkArgument(threads >= 0, "launch(): negative thread count %s", threads);
        long blocks = (threads + kernel.blockSize() - 1) / kernel.blockSize();
        checkArgument(blocks <= device.maxGridX(), "launch(): %s threads are %s blocks of %s, more than the %s blocks "
                + "of a grid on %s", threads, blocks, kernel.blockSize(), device.maxGridX(), label);
        launch(kernel, buffers, words, (int) blocks, 1, 1);
    }

    /**
     * Queues {@code kernel} over a grid of {@code gridX * gridY * gridZ} blocks. The parameter
     * block is {@code words} followed by the device address of each buffer. Nothing runs for an
     * empty grid.
     */
    public void launch(CudaKernel kernel, BufferHandle[] buffers, long[] words, int gridX, int gridY, int gridZ) {
        enter("launch()");
        checkArgument(kernel.owner == this, "launch(): kernel %s was loaded on another device; build it on %s", kernel,
                label);
        checkArgument(words.length + buffers.length == kernel.parameterWords(), "launch(): kernel %s declares %s "
                + "parameter words, got %s words and %s buffer addresses", kernel, kernel.parameterWords(), words.length,
                buffers.length);
        checkArgument(gridX >= 0 && gridY >= 0 && gridZ >= 0 && gridX <= device.maxGridX()
                && gridY <= device.maxGridYZ() && gridZ <= device.maxGridYZ(), "launch(): grid %s x %s x %s of kernel %s "
                + "is outside the device's limits %s x %s x %s", gridX, gridY, gridZ, kernel, device.maxGridX(),
                device.maxGridYZ(), device.maxGridYZ());
        long[] addresses = new long[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            addresses[i] = checked(buffers[i], "launch()").address();
        }
        if ((long) gridX * gridY * gridZ == 0) {
            return;
        }
        int status = kernel.enqueue(stream, words, addresses, gridX, gridY, gridZ);
        if (status != CUDA_SUCCESS) {
            throw failure(status, "launch of kernel " + kernel.entry() + " (" + gridX + " x " + gridY + " x " + gridZ
                    + " blocks of " + kernel.blockSize() + ")");
        }
        if (pending.size() == PENDING_NAMES) {
            pending.removeFirst();
        }
        pending.addLast(kernel.entry());
        pendingCount++;
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     BufferHandle a, long aOffset, BufferHandle b, long bOffset, BufferHandle c, long cOffset,
                     DType dtype) {
        enter("gemm()");
        checkArgument(dtype.isFloat(), "gemm(): dtype %s; gemm multiplies F16, F32 or F64 matrices", dtype);
        checkArgument(batch >= 0 && m >= 0 && n >= 0 && k >= 0, "gemm(): negative size batch %s, m %s, n %s, k %s",
                batch, m, n, k);
        CudaBuffer ba = checked(a, "gemm()");
        CudaBuffer bb = checked(b, "gemm()");
        CudaBuffer bc = checked(c, "gemm()");
        checkArgument(ba.dtype() == dtype && bb.dtype() == dtype && bc.dtype() == dtype,
                "gemm(): buffers of %s, %s, %s for dtype %s; convert them to one dtype", ba.dtype(), bb.dtype(),
                bc.dtype(), dtype);
        checkRange("gemm() A", ba, aOffset, (long) batch * m * k);
        checkRange("gemm() B", bb, bOffset, (long) batch * k * n);
        checkRange("gemm() C", bc, cOffset, (long) batch * m * n);
        if ((long) batch * m * n == 0) {
            return;
        }
        CudaKernel kernel = gemm.kernel(dtype, transA, transB);
        BufferHandle[] buffers = {a, b, c};
        for (CudaGemm.Launch l : CudaGemm.launches(batch, m, n, k, aOffset, bOffset, cOffset, device.maxGridYZ())) {
            launch(kernel, buffers, l.words(), l.gridX(), l.gridY(), l.gridZ());
        }
    }

    @Override
    public void synchronize() {
        enter("synchronize()");
        int status = JCudaDriver.cuStreamSynchronize(stream);
        if (status != CUDA_SUCCESS) {
            throw failure(status, "synchronize()");
        }
        transfers.settled();
        settled();
    }

    /** Frees every buffer and module, the staging memory and the stream, and releases the context; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.makeCurrent();
        } catch (CudaException e) {
            // released below all the same
        }
        if (unusableBecause == null) {
            JCudaDriver.cuStreamSynchronize(stream); // a failure here changes nothing: everything is released below
        }
        compiler.release();
        for (CudaBuffer b : live.toArray(CudaBuffer[]::new)) {
            b.freed = true;
            freeing.add(b);
        }
        live.clear();
        releaseFreed();
        transfers.release();
        JCudaDriver.cuStreamDestroy(stream);
        context.release();
    }

    /** Bytes held by this backend's buffers (live, and freed but not yet released in stream order). */
    long bytesHeld() {
        return bytesHeld;
    }

    /** Buffers freed but waiting for the stream before their memory goes back to the driver. */
    int buffersAwaitingRelease() {
        return freeing.size();
    }

    @Override
    public String toString() {
        return label;
    }

    /** Everything queued so far has finished without error: forget the kernel names, release freed memory. */
    private void settled() {
        pending.clear();
        pendingCount = 0;
        releaseFreed();
    }

    private void releaseFreed() {
        for (CudaBuffer b : freeing) {
            bytesHeld -= b.bytes;
            JCudaDriver.cuMemFree(b.pointer); // the stream is idle; a failure would be a lost device, reported at the next call
        }
        freeing.clear();
    }

    /**
     * The exception for a failed call, naming the kernels queued since the last wait that
     * succeeded (any of them may have caused an error found at a wait). After a sticky error it
     * marks the backend unusable.
     */
    CudaException failure(int status, String operation) {
        String kernels = pending.isEmpty() ? ""
                : "; kernels launched since the last wait: " + String.join(", ", pending)
                        + (pendingCount > pending.size() ? " (the last " + pending.size() + " of " + pendingCount + ")" : "");
        CudaException e = CudaErrors.failure(status, operation + kernels, label);
        if (CudaErrors.isSticky(status) && unusableBecause == null) {
            unusableBecause = CudaErrors.name(status) + " in " + operation + kernels;
        }
        return e;
    }

    private DeviceOutOfMemoryException outOfMemory(DType dtype, long count, String why) {
        long[] free = new long[1];
        long[] total = new long[1];
        String driver = JCudaDriver.cuMemGetInfo(free, total) == CUDA_SUCCESS
                ? "; the driver reports " + free[0] + " of " + total[0] + " bytes free" : "";
        String bytes = count <= Long.MAX_VALUE / dtype.bytes() ? String.valueOf(count * dtype.bytes()) : "over 2^63";
        return new DeviceOutOfMemoryException(String.format("%s: alloc() of %d %s elements (%s bytes) failed: %s; "
                + "%d bytes are held by this backend's %d buffers%s; free tensors, use smaller batches or a device with "
                + "more memory", label, count, dtype, bytes, why, bytesHeld, live.size() + freeing.size(), driver));
    }

    private static long elements(String operation, MemorySegment segment, DType dtype) {
        checkArgument(segment.byteSize() % dtype.bytes() == 0, "%s: the host segment of %s bytes is not a whole number "
                + "of %s elements (%s bytes each)", operation, segment.byteSize(), dtype, dtype.bytes());
        return segment.byteSize() / dtype.bytes();
    }

    private static void checkRange(String operation, CudaBuffer b, long offset, long count) {
        checkArgument(offset >= 0 && count >= 0 && offset <= b.count() - count,
                "%s: elements [%s, %s) are outside the buffer of %s %s elements", operation, offset, offset + count,
                b.count(), b.dtype());
    }

    /** A buffer of this backend, still allocated, on an open, usable backend whose context is current. */
    private CudaBuffer checked(BufferHandle handle, String operation) {
        enter(operation);
        CudaBuffer b = owned(handle, operation);
        if (b.freed) {
            throw new IllegalStateException(operation + ": the buffer of " + b + " was freed; it cannot be used again");
        }
        return b;
    }

    private CudaBuffer owned(BufferHandle handle, String operation) {
        if (!(handle instanceof CudaBuffer b) || b.owner != this) {
            throw new IllegalArgumentException(operation + ": the buffer " + handle + " does not belong to " + label
                    + "; copy data between devices through Tensor.to(device)");
        }
        return b;
    }

    /** Checks that the backend is open and usable and makes its context current on this thread. */
    private void enter(String operation) {
        checkOpen(operation);
        if (unusableBecause != null) {
            throw new IllegalStateException(label + ": " + operation + " refused: the CUDA context is unusable since "
                    + unusableBecause + ". CUDA allows no recovery from this error within the process: close the "
                    + "device and restart the program");
        }
        context.makeCurrent();
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(label + ": " + operation + " on a closed backend; open the device again with "
                    + "Device.of(\"cuda\")");
        }
    }
}
