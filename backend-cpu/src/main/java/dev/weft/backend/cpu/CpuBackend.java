package dev.weft.backend.cpu;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/**
 * The CPU backend: buffers are off-heap segments ({@link CpuBuffer}), kernels run chunk by chunk
 * on a worker pool ({@link CpuProgram}), {@code gemm} is blocked and multi-threaded
 * ({@link CpuGemm}). Launches run synchronously: when {@link #launch} returns, the work is done.
 *
 * <p>It declares no native capabilities: transcendentals arrive as the core's polynomials, so
 * results match the reference bit for bit wherever the IR fixes the order of operations.
 * {@link #packLayout} keeps the default: the per-launch conversion of each matrix into a packed
 * F32 copy ({@link CpuCoopVec}) already gives the kernels the layout they want.
 */
public final class CpuBackend implements Backend {
    private final CpuWorkers workers;
    private volatile boolean closed;

    CpuBackend(int threads) {
        this.workers = new CpuWorkers(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return CpuProvider.describe(workers.threads());
    }

    /** The number of threads a launch uses ({@code weft.threads}). */
    public int threads() {
        return workers.threads();
    }

    /** The worker pool (tests launch programs on it directly). */
    CpuWorkers workers() {
        return workers;
    }

    @Override
    public Set<Op> capabilities() {
        return EnumSet.noneOf(Op.class);
    }

    @Override
    public BufferHandle alloc(DType dtype, long count) {
        checkOpen("alloc()");
        checkArgument(count >= 0, "alloc(): negative count %s", count);
        try {
            return new CpuBuffer(dtype, count);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            throw new DeviceOutOfMemoryException(String.format(
                    "cpu: alloc() of %d %s elements (%d bytes) failed: %s; free tensors or raise -XX:MaxDirectMemorySize",
                    count, dtype, count * dtype.bytes(), e.getMessage()));
        }
    }

    @Override
    public void free(BufferHandle buffer) {
        ((CpuBuffer) buffer).release();
    }

    @Override
    public void copyIn(BufferHandle dst, long dstOffset, MemorySegment src) {
        CpuBuffer b = checked(dst, "copyIn()");
        checkRange("copyIn()", b, dstOffset, src.byteSize() / b.dtype().bytes());
        MemorySegment.copy(src, 0, b.memory, dstOffset * b.dtype().bytes(), src.byteSize());
    }

    @Override
    public void copyOut(BufferHandle src, long srcOffset, MemorySegment dst) {
        CpuBuffer b = checked(src, "copyOut()");
        checkRange("copyOut()", b, srcOffset, dst.byteSize() / b.dtype().bytes());
        MemorySegment.copy(b.memory, srcOffset * b.dtype().bytes(), dst, 0, dst.byteSize());
    }

    @Override
    public void fill(BufferHandle dst, long offset, long count, long bits) {
        CpuBuffer b = checked(dst, "fill()");
        checkRange("fill()", b, offset, count);
        if (count == 0) {
            return;
        }
        int size = b.dtype().bytes();
        b.set(offset, bits);
        // double the filled prefix until it covers the range
        long done = 1;
        while (done < count) {
            long n = Math.min(done, count - done);
            MemorySegment.copy(b.memory, offset * size, b.memory, (offset + done) * size, n * size);
            done += n;
        }
    }

    @Override
    public Program compile(Kernel kernel) {
        checkOpen("compile()");
        return CpuCompiler.compile(kernel);
    }

    @Override
    public void launch(Program program, BufferHandle[] buffers, long[] params, long n) {
        checkOpen("launch()");
        CpuProgram p = (CpuProgram) program;
        Kernel k = p.kernel();
        checkArgument(buffers.length == k.slots().size() && params.length == k.params().size(),
                "launch(): kernel %s takes %s buffers and %s parameters, got %s and %s", k.name(), k.slots().size(),
                k.params().size(), buffers.length, params.length);
        checkArgument(n >= 0 && n <= Integer.MAX_VALUE, "launch(): %s lanes; the lane index is I32, so 0 <= n < 2^31", n);
        CpuBuffer[] bs = new CpuBuffer[buffers.length];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = (CpuBuffer) buffers[i];
        }
        p.launch(workers, bs, params, n);
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     BufferHandle a, long aOffset, BufferHandle b, long bOffset, BufferHandle c, long cOffset,
                     DType dtype) {
        checkOpen("gemm()");
        checkArgument(dtype.isFloat(), "gemm(): dtype %s; gemm multiplies F16, F32 or F64 matrices", dtype);
        checkArgument(batch >= 0 && m >= 0 && n >= 0 && k >= 0, "gemm(): negative size batch %s, m %s, n %s, k %s",
                batch, m, n, k);
        CpuBuffer ca = (CpuBuffer) a;
        CpuBuffer cb = (CpuBuffer) b;
        CpuBuffer cc = (CpuBuffer) c;
        checkArgument(ca.dtype() == dtype && cb.dtype() == dtype && cc.dtype() == dtype,
                "gemm(): buffers of %s, %s, %s for dtype %s; convert them to one dtype", ca.dtype(), cb.dtype(), cc.dtype(),
                dtype);
        checkRange("gemm() A", ca, aOffset, (long) batch * m * k);
        checkRange("gemm() B", cb, bOffset, (long) batch * k * n);
        checkRange("gemm() C", cc, cOffset, (long) batch * m * n);
        CpuGemm.run(workers, batch, transA, transB, m, n, k, ca, aOffset, cb, bOffset, cc, cOffset, dtype);
    }

    @Override
    public void synchronize() {
        // launches and gemms return when they are done
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            workers.close();
        }
    }

    private CpuBuffer checked(BufferHandle h, String operation) {
        checkOpen(operation);
        return (CpuBuffer) h;
    }

    private static void checkRange(String operation, CpuBuffer b, long offset, long count) {
        checkArgument(offset >= 0 && count >= 0 && offset + count <= b.count(),
                "%s: elements [%s, %s) are outside the buffer of %s %s elements", operation, offset, offset + count,
                b.count(), b.dtype());
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("cpu: " + operation + " on a closed backend; open a device again with "
                    + "Device.of(\"cpu\")");
        }
    }
}
