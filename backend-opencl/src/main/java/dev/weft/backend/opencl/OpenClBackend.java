package dev.weft.backend.opencl;

import static com.google.common.base.Preconditions.checkArgument;
import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseMemObject;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * One OpenCL device: a context and an in-order command queue, buffers ({@link OpenClBuffer}),
 * the build cache ({@link OpenClCompiler}), launches with one parameter block
 * ({@link OpenClKernel}) and a tiled {@code gemm} ({@link OpenClGemm}).
 *
 * <p>Launches, fills and {@code gemm} are asynchronous: they are queued and this returns at
 * once; copies to and from the host, {@link #synchronize()} and allocation wait. Because the
 * queue runs in order, a copy sees every launch queued before it. A failure that surfaces at a
 * wait names the kernels launched since the last one, since any of them may have caused it.
 *
 * <p>Memory: OpenCL allocates a buffer lazily, at its first use, so {@link #alloc} writes one
 * byte to the new buffer and waits for that write (on a queue of its own, so not for the
 * kernels queued before): a device without room fails there, with a
 * {@link DeviceOutOfMemoryException} that names the request (and the core's allocator can free
 * its cache and retry), not in some later launch. Requests beyond the largest single buffer or
 * beyond the device's memory, counting the buffers this backend holds, fail the same way before
 * the driver is asked (some drivers, PoCL among them, would accept them and fail later).
 *
 * <p>Kernels of the core: {@link #compile(Kernel)} needs the OpenCL C renderer of the lowered
 * form (issue 15). Until then, OpenCL C is built with {@link #buildAll} and launched with
 * {@link #launch(OpenClKernel, BufferHandle[], long[], long)}, the interface the renderer uses.
 */
public final class OpenClBackend implements Backend {
    /** How many kernel names a failure report lists at most. */
    private static final int PENDING_NAMES = 8;
    private static final byte[] ZERO_BYTE = {0};

    private final OpenClDevice device;
    private final String label;
    private final cl_context context;
    private final cl_command_queue queue;
    /** A second queue for the write that forces each allocation: it waits for nothing queued for compute. */
    private final cl_command_queue allocationQueue;
    private final OpenClCompiler compiler;
    private final OpenClTransfers transfers;
    private final OpenClGemm gemm;
    private final Set<OpenClBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private long pendingCount;
    private long bytesInUse;
    private boolean closed;

    OpenClBackend(OpenClDevice device, int index) {
        this.device = device;
        this.label = "opencl:" + index + " (" + device.name() + ")";
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        int[] error = new int[1];
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.device()}, null, null, error);
        OpenClErrors.check(error[0], "clCreateContext", label);
        this.queue = createQueue(context, device.device(), error);
        if (error[0] != CL_SUCCESS) {
            clReleaseContext(context);
            throw OpenClErrors.failure(error[0], "clCreateCommandQueue", label);
        }
        this.allocationQueue = createQueue(context, device.device(), error);
        if (error[0] != CL_SUCCESS) {
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            throw OpenClErrors.failure(error[0], "clCreateCommandQueue", label);
        }
        this.compiler = new OpenClCompiler(context, device, label);
        this.transfers = new OpenClTransfers(queue);
        this.gemm = new OpenClGemm(compiler);
    }

    /** An in-order queue without profiling (the call exists on every OpenCL version, deprecated since 2.0). */
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id device, int[] error) {
        return clCreateCommandQueue(context, device, 0, error);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String description() {
        return device.describe();
    }

    /** The device this backend runs on. */
    OpenClDevice device() {
        return device;
    }

    /** None yet: the lowering of issue 15 turns every macro-op into the loops and atomics OpenCL C has. */
    @Override
    public Set<Op> capabilities() {
        return EnumSet.noneOf(Op.class);
    }

    @Override
    public BufferHandle alloc(DType dtype, long count) {
        checkOpen("alloc()");
        checkArgument(count >= 0, "alloc(): negative count %s", count);
        long bytes;
        try {
            bytes = OpenClBuffer.bytesFor(dtype, count);
        } catch (ArithmeticException e) {
            throw outOfMemory(dtype, count, "the size does not fit in 64 bits");
        }
        if (bytes > device.maxAllocationBytes()) {
            throw outOfMemory(dtype, count, "the largest single buffer on this device is "
                    + device.maxAllocationBytes() + " bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
        }
        if (bytes > device.globalMemoryBytes() - bytesInUse) {
            throw outOfMemory(dtype, count, bytesInUse + " of the device's " + device.globalMemoryBytes()
                    + " bytes are held by " + live.size() + " buffers");
        }
        int[] error = new int[1];
        cl_mem memory = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, error);
        if (error[0] != CL_SUCCESS) {
            throw allocationFailure(error[0], dtype, count);
        }
        // OpenCL allocates at first use: use it now, so that a full device fails here (on the
        // allocation queue, so that this waits for the one-byte write only, not for queued kernels)
        int status = clEnqueueWriteBuffer(allocationQueue, memory, true, 0, 1, Pointer.to(ZERO_BYTE), 0, null, null);
        if (status != CL_SUCCESS) {
            clReleaseMemObject(memory);
            throw allocationFailure(status, dtype, count);
        }
        OpenClBuffer buffer = new OpenClBuffer(dtype, count, bytes, memory, this);
        live.add(buffer);
        bytesInUse += bytes;
        return buffer;
    }

    @Override
    public void free(BufferHandle buffer) {
        OpenClBuffer b = owned(buffer, "free()");
        if (closed && b.freed) {
            return; // close() already released it
        }
        checkOpen("free()");
        if (b.freed) {
            throw new IllegalStateException("free(): the buffer of " + b + " was already freed");
        }
        release(b);
    }

    @Override
    public void copyIn(BufferHandle dst, long dstOffset, MemorySegment src) {
        copy("copyIn()", dst, dstOffset, src, true);
    }

    @Override
    public void copyOut(BufferHandle src, long srcOffset, MemorySegment dst) {
        copy("copyOut()", src, srcOffset, dst, false);
    }

    private void copy(String operation, BufferHandle buffer, long offset, MemorySegment host, boolean toDevice) {
        OpenClBuffer b = checked(buffer, operation);
        long count = elements(operation, host, b.dtype());
        checkRange(operation, b, offset, count);
        int status = transfers.copy(b.memory, offset * b.dtype().bytes(), host, toDevice);
        if (status != CL_SUCCESS) {
            throw failure(status, operation + " of " + count + " " + b.dtype() + " elements");
        }
        settled();
    }

    @Override
    public void fill(BufferHandle dst, long offset, long count, long bits) {
        OpenClBuffer b = checked(dst, "fill()");
        checkRange("fill()", b, offset, count);
        if (count == 0) {
            return;
        }
        int size = b.dtype().bytes();
        byte[] pattern = new byte[size];
        long value = b.dtype() == DType.BOOL ? (bits != 0 ? 1 : 0) : bits;
        for (int i = 0; i < size; i++) {
            pattern[i] = (byte) (value >>> (8 * i));
        }
        int status = clEnqueueFillBuffer(queue, b.memory, Pointer.to(pattern), size, offset * size, count * size, 0,
                null, null);
        if (status != CL_SUCCESS) {
            throw failure(status, "fill() of " + count + " " + b.dtype() + " elements");
        }
    }

    /**
     * Not yet: rendering a core kernel to OpenCL C needs the lowered form and
     * {@code OpenClRenderer} (issue 15); the provider reports the backend unavailable until then.
     */
    @Override
    public Program compile(Kernel kernel) {
        checkOpen("compile()");
        throw new IllegalStateException("opencl: compile(" + kernel.name() + ") needs the OpenCL C renderer of the "
                + "lowered form (issue 15), which this build does not have; run Weft on the cpu backend meanwhile");
    }

    /**
     * Builds one OpenCL C kernel, or finds it in the build cache.
     *
     * @throws dev.weft.KernelCompileException with the program text and the build log when it does not build
     */
    public OpenClKernel build(OpenClSource source) {
        checkOpen("build()");
        return compiler.build(source);
    }

    /**
     * Builds many kernels as one OpenCL program (the ones not in the cache), one kernel per
     * source in order. Renderers collect the kernels they will need and build them here at
     * once: a build has a large fixed cost (about a second on PoCL, cold), so a batch of a
     * hundred costs little more than one.
     *
     * @throws dev.weft.KernelCompileException for a kernel that does not build, with its own text and log
     */
    public List<OpenClKernel> buildAll(List<OpenClSource> sources) {
        checkOpen("buildAll()");
        return compiler.buildAll(sources);
    }

    /** {@code clBuildProgram} calls made so far (a cache hit makes none). */
    public int programBuilds() {
        return compiler.programBuilds();
    }

    /** Seconds spent in {@code clBuildProgram} so far. */
    public double buildSeconds() {
        return compiler.buildSeconds();
    }

    @Override
    public void launch(Program program, BufferHandle[] buffers, long[] params, long n) {
        OpenClProgram p = (OpenClProgram) program;
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
     * Queues {@code kernel} over at least {@code workItems} work-items: whole work-groups of its
     * size, so the kernel guards the ones past what it needs. {@code words} become the parameter
     * block, argument 0 ({@code __constant ulong*}); {@code buffers} are arguments 1, 2, ...
     * Nothing runs for 0 work-items.
     */
    public void launch(OpenClKernel kernel, BufferHandle[] buffers, long[] words, long workItems) {
        checkOpen("launch()");
        checkArgument(kernel.context == context, "launch(): kernel %s was built on another device; build it on %s",
                kernel, label);
        checkArgument(buffers.length == kernel.bufferCount(), "launch(): kernel %s takes %s buffers, got %s", kernel,
                kernel.bufferCount(), buffers.length);
        checkArgument(words.length * 8L <= device.constantBufferBytes(),
                "launch(): %s parameter words (%s bytes) exceed the %s bytes of a __constant buffer on %s", words.length,
                words.length * 8L, device.constantBufferBytes(), label);
        checkArgument(workItems >= 0, "launch(): negative work-item count %s", workItems);
        cl_mem[] memories = new cl_mem[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            memories[i] = checked(buffers[i], "launch()").memory;
        }
        if (workItems == 0) {
            return;
        }
        long groups = (workItems + kernel.workGroupSize() - 1) / kernel.workGroupSize();
        kernel.enqueue(queue, memories, words, groups, label);
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
        checkOpen("gemm()");
        checkArgument(dtype.isFloat(), "gemm(): dtype %s; gemm multiplies F16, F32 or F64 matrices", dtype);
        checkArgument(batch >= 0 && m >= 0 && n >= 0 && k >= 0, "gemm(): negative size batch %s, m %s, n %s, k %s",
                batch, m, n, k);
        OpenClBuffer ba = checked(a, "gemm()");
        OpenClBuffer bb = checked(b, "gemm()");
        OpenClBuffer bc = checked(c, "gemm()");
        checkArgument(ba.dtype() == dtype && bb.dtype() == dtype && bc.dtype() == dtype,
                "gemm(): buffers of %s, %s, %s for dtype %s; convert them to one dtype", ba.dtype(), bb.dtype(),
                bc.dtype(), dtype);
        checkRange("gemm() A", ba, aOffset, (long) batch * m * k);
        checkRange("gemm() B", bb, bOffset, (long) batch * k * n);
        checkRange("gemm() C", bc, cOffset, (long) batch * m * n);
        if (dtype == DType.F64) {
            requireFp64("gemm() of F64 matrices");
        }
        if ((long) batch * m * n == 0) {
            return;
        }
        launch(gemm.kernel(dtype), new BufferHandle[] {a, b, c},
                OpenClGemm.words(batch, transA, transB, m, n, k, aOffset, bOffset, cOffset),
                OpenClGemm.workItems(batch, m, n));
    }

    /**
     * Throws unless the device computes in double precision: F64 kernels (and F16 {@code fma},
     * which is lowered through F64) cannot run without {@code cl_khr_fp64}.
     *
     * @throws IllegalStateException naming the device and the fix
     */
    void requireFp64(String operation) {
        if (!device.fp64()) {
            throw new IllegalStateException(operation + " needs double precision, but " + label + " has no cl_khr_fp64; "
                    + "use F32, or run F64 work on a device with double precision (the cpu backend has it)");
        }
    }

    @Override
    public void synchronize() {
        checkOpen("synchronize()");
        int status = clFinish(queue);
        if (status != CL_SUCCESS) {
            throw failure(status, "synchronize()");
        }
        settled();
    }

    /** Frees every buffer, kernel and program, then the queue and the context; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clFinish(queue); // a failure here changes nothing: everything is released below
        compiler.release();
        for (OpenClBuffer b : live.toArray(OpenClBuffer[]::new)) {
            release(b);
        }
        transfers.release();
        clReleaseCommandQueue(allocationQueue);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    /** Bytes held by this backend's live buffers. */
    long bytesInUse() {
        return bytesInUse;
    }

    @Override
    public String toString() {
        return label;
    }

    private void release(OpenClBuffer b) {
        b.freed = true;
        live.remove(b);
        bytesInUse -= b.bytes;
        clReleaseMemObject(b.memory);
    }

    /** Everything queued so far has finished without error. */
    private void settled() {
        pending.clear();
        pendingCount = 0;
    }

    /**
     * An error found at a wait (a device lost mid-run, a kernel that faulted), naming the kernels
     * queued since the last wait that succeeded: any of them may have caused it.
     */
    OpenClException failure(int status, String operation) {
        String kernels = pending.isEmpty() ? ""
                : "; kernels launched since the last wait: " + String.join(", ", pending)
                        + (pendingCount > pending.size() ? " (the last " + pending.size() + " of " + pendingCount + ")" : "");
        return OpenClErrors.failure(status, operation + kernels, label);
    }

    /** A {@link DeviceOutOfMemoryException} where the driver's code means no room, else an {@link OpenClException}. */
    private RuntimeException allocationFailure(int status, DType dtype, long count) {
        if (OpenClErrors.isOutOfMemory(status)) {
            return outOfMemory(dtype, count, "the driver answered " + OpenClErrors.name(status));
        }
        return OpenClErrors.failure(status, "alloc() of " + count + " " + dtype + " elements", label);
    }

    private DeviceOutOfMemoryException outOfMemory(DType dtype, long count, String why) {
        String bytes = count <= Long.MAX_VALUE / dtype.bytes() ? String.valueOf(count * dtype.bytes()) : "over 2^63";
        return new DeviceOutOfMemoryException(String.format("%s: alloc() of %d %s elements (%s bytes) failed: %s; "
                + "%d bytes are in use on the device; free tensors, use smaller batches or a device with more memory",
                label, count, dtype, bytes, why, bytesInUse));
    }

    private static long elements(String operation, MemorySegment segment, DType dtype) {
        checkArgument(segment.byteSize() % dtype.bytes() == 0, "%s: the host segment of %s bytes is not a whole number "
                + "of %s elements (%s bytes each)", operation, segment.byteSize(), dtype, dtype.bytes());
        return segment.byteSize() / dtype.bytes();
    }

    private static void checkRange(String operation, OpenClBuffer b, long offset, long count) {
        checkArgument(offset >= 0 && count >= 0 && offset <= b.count() - count,
                "%s: elements [%s, %s) are outside the buffer of %s %s elements", operation, offset, offset + count,
                b.count(), b.dtype());
    }

    /** A buffer of this backend, still allocated, on an open backend. */
    private OpenClBuffer checked(BufferHandle handle, String operation) {
        checkOpen(operation);
        OpenClBuffer b = owned(handle, operation);
        if (b.freed) {
            throw new IllegalStateException(operation + ": the buffer of " + b + " was freed; it cannot be used again");
        }
        return b;
    }

    private OpenClBuffer owned(BufferHandle handle, String operation) {
        if (!(handle instanceof OpenClBuffer b) || b.owner != this) {
            throw new IllegalArgumentException(operation + ": the buffer " + handle + " does not belong to " + label
                    + "; copy data between devices through Tensor.to(device)");
        }
        return b;
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(label + ": " + operation + " on a closed backend; open the device again with "
                    + "Device.of(\"opencl\")");
        }
    }
}
