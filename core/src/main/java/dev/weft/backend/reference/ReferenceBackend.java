package dev.weft.backend.reference;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.Config;
import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.ir.Op;
import dev.weft.ir.ScalarOps;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reference backend: buffers are heap memory, kernels run in {@link ReferenceInterpreter}.
 * It implements no lowerable op natively, so it runs exactly the polynomials every backend runs.
 *
 * <p>{@code weft.reference.memoryLimit} (bytes) caps its memory, so that the allocator's
 * out-of-memory path can be exercised without exhausting the JVM.
 */
public final class ReferenceBackend implements Backend {
    private final long memoryLimit;
    private long allocated;
    private volatile boolean closed;

    public ReferenceBackend(long memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    static long configuredMemoryLimit() {
        String v = Config.get("weft.reference.memoryLimit", "");
        if (v.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weft.reference.memoryLimit must be a number of bytes, not '" + v + "'");
        }
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "scalar IR interpreter on the JVM heap" + (memoryLimit == Long.MAX_VALUE ? "" : ", limit " + memoryLimit + " bytes");
    }

    @Override
    public Set<Op> capabilities() {
        return EnumSet.noneOf(Op.class);
    }

    @Override
    public synchronized BufferHandle alloc(DType dtype, long count) {
        checkOpen();
        checkArgument(count >= 0, "alloc(): negative count %s", count);
        long bytes = count * dtype.bytes();
        if (bytes > memoryLimit - allocated || bytes > Integer.MAX_VALUE - 8) {
            throw new DeviceOutOfMemoryException(String.format("reference device: %d bytes requested, %d of %d in use",
                    bytes, allocated, memoryLimit));
        }
        allocated += bytes;
        return new ReferenceBuffer(dtype, count);
    }

    @Override
    public synchronized void free(BufferHandle buffer) {
        ReferenceBuffer b = (ReferenceBuffer) buffer;
        if (b.freed) {
            throw new IllegalStateException("free(): " + b.count() + " x " + b.dtype() + " was already freed");
        }
        b.freed = true;
        allocated -= b.count() * b.dtype().bytes();
    }

    @Override
    public void copyIn(BufferHandle dst, long dstOffset, MemorySegment src) {
        ReferenceBuffer b = checked(dst);
        MemorySegment.copy(src, 0, b.memory, dstOffset * b.dtype().bytes(), src.byteSize());
    }

    @Override
    public void copyOut(BufferHandle src, long srcOffset, MemorySegment dst) {
        ReferenceBuffer b = checked(src);
        MemorySegment.copy(b.memory, srcOffset * b.dtype().bytes(), dst, 0, dst.byteSize());
    }

    @Override
    public void fill(BufferHandle dst, long offset, long count, long bits) {
        ReferenceBuffer b = checked(dst);
        for (long i = 0; i < count; i++) {
            b.set(offset + i, bits);
        }
    }

    @Override
    public Program compile(Kernel kernel) {
        checkOpen();
        return new ReferenceProgram(kernel);
    }

    @Override
    public void launch(Program program, BufferHandle[] buffers, long[] params, long n) {
        checkOpen();
        ReferenceBuffer[] bs = new ReferenceBuffer[buffers.length];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = (ReferenceBuffer) buffers[i];
        }
        ReferenceInterpreter.run(program.kernel(), bs, params, n);
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     BufferHandle a, long aOffset, BufferHandle b, long bOffset, BufferHandle c, long cOffset,
                     DType dtype) {
        ReferenceBuffer ra = checked(a);
        ReferenceBuffer rb = checked(b);
        ReferenceBuffer rc = checked(c);
        // accumulate in F32 (F64 for F64) with fma, in order of k, and round once per output
        DType acc = dtype == DType.F64 ? DType.F64 : DType.F32;
        for (int p = 0; p < batch; p++) {
            long ao = aOffset + (long) p * m * k;
            long bo = bOffset + (long) p * k * n;
            long co = cOffset + (long) p * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long sum = ScalarOps.fromDouble(acc, 0.0);
                    for (int q = 0; q < k; q++) {
                        long x = ScalarOps.cast(dtype, acc, ra.get(ao + (transA ? (long) q * m + i : (long) i * k + q)));
                        long y = ScalarOps.cast(dtype, acc, rb.get(bo + (transB ? (long) j * k + q : (long) q * n + j)));
                        sum = ScalarOps.fma(acc, x, y, sum);
                    }
                    rc.set(co + (long) i * n + j, ScalarOps.cast(acc, dtype, sum));
                }
            }
        }
    }

    @Override
    public void synchronize() {
        // everything ran synchronously
    }

    @Override
    public void close() {
        closed = true;
    }

    private ReferenceBuffer checked(BufferHandle h) {
        checkOpen();
        return (ReferenceBuffer) h;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reference backend was closed; open a device again with Device.of(\"reference\")");
        }
    }
}
