package dev.weft.backend.cuda;

import dev.weft.DType;
import dev.weft.DeviceOutOfMemoryException;
import dev.weft.KernelCompileException;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import jcuda.driver.JCudaDriver;

/**
 * The runtime's checks against a real driver: allocation, copies, fills, the launch convention,
 * stream order, {@code gemm}, and error mapping. They are main code so that the GPU machine,
 * which has no build tool, runs them ({@link CudaSelfCheck}); the unit tests run the same checks
 * wherever a driver is present. Each expectation is computed here on the host, apart from the
 * code under test (fma chains in Java for {@code gemm}).
 *
 * <p>{@link #FAULT} makes the context unusable for the rest of the process (a sticky error), so it
 * is not in {@link #ALL} and runs in a process of its own.
 */
final class CudaChecks {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One check.
     *
     * @param id a short name, for the command line ({@code --check stream-order})
     * @param name what it shows, as a sentence
     * @param body runs on an open backend and throws {@link AssertionError} when the device disagrees
     */
    record Check(String id, String name, Consumer<CudaBackend> body) {}

    static final Check COPIES = new Check("copies", "copies round-trip every dtype at element offsets, from heap and native "
            + "segments", CudaChecks::copies);
    static final Check FILLS = new Check("fills", "fill writes each dtype's bits, 64-bit values with unequal halves included",
            CudaChecks::fills);
    static final Check PARAMETERS = new Check("parameters", "a kernel reads n, its parameters and its buffers' addresses from the "
            + "parameter block and guards the threads past n", CudaChecks::parameters);
    static final Check STREAM_ORDER = new Check("stream-order", "uploads, launches and frees queued without waiting run in stream "
            + "order", CudaChecks::streamOrder);
    static final Check LARGE_COPIES = new Check("large-copies", "copies larger than the staging ring, and several queued at once, "
            + "arrive whole", CudaChecks::largeCopies);
    static final Check GEMM = new Check("gemm", "gemm matches fma chains in order of k bit for bit (F16, F32, F64, every "
            + "transpose, batches, offsets, edges)", CudaChecks::gemm);
    static final Check OUT_OF_MEMORY = new Check("out-of-memory", "allocating past the device's memory is a DeviceOutOfMemoryException, "
            + "memory freed in stream order is reused, and the device still works", CudaChecks::outOfMemory);
    static final Check BAD_PTX = new Check("bad-ptx", "PTX the driver refuses is a KernelCompileException with the JIT log",
            CudaChecks::badPtx);
    static final Check BATCHES = new Check("batches", "kernels built together are one module, cached; a bad one "
            + "among them is reported and the others are kept", CudaChecks::batches);
    static final Check NARROW_BLOCKS = new Check("narrow-blocks", "a kernel that cannot run blocks of its size is refused when loaded",
            CudaChecks::narrowBlocks);
    static final Check OTHER_THREAD = new Check("other-thread", "another thread can use the backend (its context is made current)",
            CudaChecks::otherThread);
    static final Check FAULT = new Check("fault", "a kernel's illegal address is a sticky CudaException naming it; the backend "
            + "then refuses work and still closes", CudaChecks::fault);

    /** Every check that leaves the context usable, in the order they run. */
    static final List<Check> ALL = List.of(COPIES, FILLS, PARAMETERS, STREAM_ORDER, LARGE_COPIES, GEMM, BAD_PTX,
            BATCHES, NARROW_BLOCKS, OTHER_THREAD, OUT_OF_MEMORY);

    private CudaChecks() {}

    private static final DType[] DTYPES = DType.values();

    private static void copies(CudaBackend b) {
        for (DType t : DTYPES) {
            int n = 1000;
            BufferHandle buf = b.alloc(t, n);
            byte[] all = random(t, n, t.ordinal());
            b.copyIn(buf, 0, MemorySegment.ofArray(all));
            byte[] part = random(t, 300, 100 + t.ordinal());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nativePart = arena.allocate(part.length, 8);
                MemorySegment.copy(MemorySegment.ofArray(part), 0, nativePart, 0, part.length);
                b.copyIn(buf, 17, nativePart);
                System.arraycopy(part, 0, all, 17 * t.bytes(), part.length);
                // a heap segment over another array type: long[] holds whole 8-byte words of any dtype
                long[] words = new long[3];
                Arrays.fill(words, 0x0101_0101_0101_0101L);
                b.copyIn(buf, n - 24 / t.bytes(), MemorySegment.ofArray(words));
                Arrays.fill(all, all.length - 24, all.length, (byte) 1);
                byte[] back = new byte[all.length];
                b.copyOut(buf, 0, MemorySegment.ofArray(back));
                expect(Arrays.equals(all, back), "copies of %s: the device returned other bytes", t);
                MemorySegment nativeBack = arena.allocate(200L * t.bytes(), 8);
                b.copyOut(buf, 500, nativeBack);
                expect(Arrays.equals(Arrays.copyOfRange(all, 500 * t.bytes(), 700 * t.bytes()),
                        nativeBack.toArray(ValueLayout.JAVA_BYTE)), "copyOut of %s into a native segment at offset 500", t);
                b.copyIn(buf, n, MemorySegment.ofArray(new byte[0]));
                b.copyOut(buf, n, MemorySegment.ofArray(new byte[0]));
            }
            b.free(buf);
        }
    }

    private static void fills(CudaBackend b) {
        for (DType t : DTYPES) {
            int n = 1000;
            BufferHandle buf = b.alloc(t, n);
            byte[] expected = random(t, n, 7 + t.ordinal());
            b.copyIn(buf, 0, MemorySegment.ofArray(expected));
            long[] values = {0x0123_4567_89AB_CDEFL, -1L, 0L, 7L};
            int[][] ranges = {{5, 905}, {100, 300}, {0, 1}, {999, 1000}};
            for (int v = 0; v < values.length; v++) {
                b.fill(buf, ranges[v][0], ranges[v][1] - ranges[v][0], values[v]);
                long bits = t == DType.BOOL ? (values[v] != 0 ? 1 : 0) : values[v];
                for (int i = ranges[v][0]; i < ranges[v][1]; i++) {
                    write(expected, t, i, bits);
                }
            }
            b.fill(buf, n, 0, 5); // nothing
            byte[] back = new byte[expected.length];
            b.copyOut(buf, 0, MemorySegment.ofArray(back));
            expect(Arrays.equals(expected, back), "fill of %s: the device holds other bytes", t);
            b.free(buf);
        }
    }

    private static void parameters(CudaBackend b) {
        CudaKernel axpy = b.build(CudaCheckKernels.AXPY);
        int n = 1000; // not a multiple of the block of 256
        float a = -1.75f;
        float[] x = randomFloats(n + 3, 1);
        float[] y = randomFloats(n + 3, 2);
        BufferHandle bx = upload(b, x);
        BufferHandle by = upload(b, y);
        b.launch(axpy, new BufferHandle[] {bx, by}, new long[] {n, Float.floatToRawIntBits(a)}, n);
        float[] got = download(b, by, n + 3);
        for (int i = 0; i < n + 3; i++) {
            float want = i < n ? Math.fma(a, x[i], y[i]) : y[i];
            int ii = i;
            expect(Float.floatToRawIntBits(got[i]) == Float.floatToRawIntBits(want), "axpy: y[%s] = %s, expected %s",
                    ii, got[ii], want);
        }
        b.free(bx);
        b.free(by);
    }

    /**
     * Twenty rounds of: upload new x from one host array (changed right after each upload), add
     * it into y, and through a temporary that is freed at once, into z; nothing waits until the
     * end. Any reordering, an upload read after the host changed its array, or freed memory
     * reused while a queued kernel reads it changes the sums.
     */
    private static void streamOrder(CudaBackend b) {
        CudaKernel axpy = b.build(CudaCheckKernels.AXPY);
        int n = 4099;
        BufferHandle x = b.alloc(DType.F32, n);
        BufferHandle y = b.alloc(DType.F32, n);
        BufferHandle z = b.alloc(DType.F32, n);
        b.fill(y, 0, n, 0);
        b.fill(z, 0, n, 0);
        float[] host = new float[n];
        float[] wantY = new float[n];
        float[] wantZ = new float[n];
        Random r = new Random(3);
        int waiting = b.buffersAwaitingRelease();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < n; i++) {
                host[i] = (float) r.nextGaussian();
            }
            b.copyIn(x, 0, MemorySegment.ofArray(host));
            BufferHandle tmp = b.alloc(DType.F32, n);
            b.copyIn(tmp, 0, MemorySegment.ofArray(host));
            for (int i = 0; i < n; i++) {
                wantY[i] = Math.fma(1f, host[i], wantY[i]);
                wantZ[i] = Math.fma(2f, host[i], wantZ[i]);
                host[i] = Float.NaN; // the upload must already have taken the values
            }
            b.launch(axpy, new BufferHandle[] {x, y}, new long[] {n, Float.floatToRawIntBits(1f)}, n);
            b.launch(axpy, new BufferHandle[] {tmp, z}, new long[] {n, Float.floatToRawIntBits(2f)}, n);
            b.free(tmp);
        }
        expect(b.buffersAwaitingRelease() == waiting + 20, "20 more freed buffers wait for the stream, found %s - %s",
                b.buffersAwaitingRelease(), waiting);
        expect(Arrays.equals(download(b, y, n), wantY), "stream order: y differs from the host's sums");
        expect(b.buffersAwaitingRelease() == 0, "after a wait the freed buffers are released, %s remain",
                b.buffersAwaitingRelease());
        expect(Arrays.equals(download(b, z, n), wantZ), "stream order: z (through freed temporaries) differs");
        b.free(x);
        b.free(y);
        b.free(z);
    }

    private static void largeCopies(CudaBackend b) {
        int n = (int) (2.5 * CudaTransfers.RING / 4); // 2.5 rings of floats
        float[] big = randomFloats(n, 4);
        BufferHandle buf = upload(b, big);
        expect(Arrays.equals(download(b, buf, n), big), "a copy of %s bytes in pieces came back different", 4L * n);
        int m = (int) (0.3 * CudaTransfers.RING); // three uploads of 1.2 rings each, queued before any wait
        List<BufferHandle> bufs = new ArrayList<>();
        List<float[]> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] d = randomFloats(m, 10 + i);
            data.add(d);
            bufs.add(upload(b, d));
        }
        for (int i = 0; i < 3; i++) {
            expect(Arrays.equals(download(b, bufs.get(i), m), data.get(i)), "queued large upload %s came back different", i);
            b.free(bufs.get(i));
        }
        b.free(buf);
    }

    private static void gemm(CudaBackend b) {
        int[][] shapes = { // batch, m, n, k, transA, transB
            {1, 1, 1, 1, 0, 0}, {1, 5, 7, 3, 0, 0}, {2, 13, 70, 9, 1, 0}, {3, 6, 129, 17, 0, 1},
            {1, 64, 300, 64, 1, 1}, {2, 65, 63, 47, 1, 1}, {1, 4, 5, 0, 0, 0}, {1, 130, 131, 40, 0, 0},
        };
        for (DType t : new DType[] {DType.F32, DType.F16, DType.F64}) {
            for (int[] s : shapes) {
                CudaGemmCheck.run(b, t, s[0], s[1], s[2], s[3], s[4] == 1, s[5] == 1);
            }
        }
    }

    private static void outOfMemory(CudaBackend b) {
        long total = b.device().totalMemoryBytes();
        var tooBig = expectThrows(DeviceOutOfMemoryException.class, () -> b.alloc(DType.F32, total / 4 + 1));
        expect(tooBig.getMessage().contains("alloc() of"), "the message names the request: %s", tooBig.getMessage());
        // fill the device in quarters until the driver says no, then free one and allocate again: the retry
        // waits for the stream and releases what was freed in stream order
        long[] free = new long[1];
        long[] all = new long[1];
        CudaErrors.check(JCudaDriver.cuMemGetInfo(free, all), "cuMemGetInfo", b);
        long chunk = Math.max(1, free[0] / 4 / 4); // floats in a quarter of the free memory
        List<BufferHandle> held = new ArrayList<>();
        try {
            DeviceOutOfMemoryException full = null;
            for (int i = 0; i < 8 && full == null; i++) {
                try {
                    held.add(b.alloc(DType.F32, chunk));
                } catch (DeviceOutOfMemoryException e) {
                    full = e;
                }
            }
            expect(full != null, "8 allocations of a quarter of the free memory all succeeded");
            expect(full.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"), "the message names the driver's answer: %s",
                    full.getMessage());
            b.free(held.removeLast());
            held.add(b.alloc(DType.F32, chunk));
        } finally {
            held.forEach(b::free);
        }
        float[] x = randomFloats(10, 5);
        BufferHandle after = upload(b, x);
        expect(Arrays.equals(download(b, after, 10), x), "after running out of memory the device still copies");
        b.free(after);
    }

    private static void badPtx(CudaBackend b) {
        var e = expectThrows(KernelCompileException.class, () -> b.build(CudaCheckKernels.BROKEN));
        expect(e.source().contains(".version " + CudaDevice.PTX_VERSION) && e.source().contains("frobnicate"),
                "the exception carries the module's PTX: %s", e.source());
        expect(e.log().contains("CUDA_ERROR_INVALID_PTX") && e.log().length() > "[cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX]".length() + 5,
                "the log has the JIT's message and the CUDA error: %s", e.log());
        expect(e.getMessage().contains("weft_check_broken"), "the message names the kernel: %s", e.getMessage());
        // the device is still fine
        parameters(b);
    }

    private static void batches(CudaBackend b) {
        CudaSource a1 = renamed(CudaCheckKernels.AXPY, "weft_check_axpy_b1");
        CudaSource a2 = renamed(CudaCheckKernels.AXPY, "weft_check_axpy_b2");
        int loads = b.moduleLoads();
        List<CudaKernel> two = b.buildAll(List.of(a1, a2, a1));
        expect(b.moduleLoads() == loads + 1, "two kernels took %s module loads", b.moduleLoads() - loads);
        expect(two.get(0) == two.get(2) && two.get(0) != two.get(1) && two.get(1).entry().equals("weft_check_axpy_b2"),
                "one kernel per source, the same for equal sources: %s", two);
        b.buildAll(List.of(a2, a1));
        expect(b.moduleLoads() == loads + 1, "a cached batch was loaded again");
        CudaSource a3 = renamed(CudaCheckKernels.AXPY, "weft_check_axpy_b3");
        CudaSource a4 = renamed(CudaCheckKernels.AXPY, "weft_check_axpy_b4");
        CudaSource unconventional = new CudaSource("weft_check_two_params",
                ".visible .entry weft_check_two_params(.param .u64 a, .param .u64 b)\n{\n\tret;\n}\n", 32);
        var e = expectThrows(KernelCompileException.class,
                () -> b.buildAll(List.of(a3, CudaCheckKernels.BROKEN, unconventional, a4)));
        expect(e.getMessage().contains("weft_check_broken") || e.getMessage().contains("weft_check_two_params"),
                "the failure names a bad kernel: %s", e.getMessage());
        int after = b.moduleLoads();
        b.build(a3);
        b.build(a4);
        expect(b.moduleLoads() == after, "the good kernels of a failed batch were not kept");
        var convention = expectThrows(KernelCompileException.class, () -> b.build(unconventional));
        expect(convention.log().contains("exactly one parameter, the parameter block"), "the log names the convention: %s",
                convention.log());
        var mixed = expectThrows(IllegalArgumentException.class, () -> b.buildAll(List.of(a1,
                new CudaSource(a1.entry(), a1.text() + "\n// another text\n", a1.blockSize()))));
        expect(mixed.getMessage().contains("two different sources define the kernel weft_check_axpy_b1"), "%s",
                mixed.getMessage());
    }

    private static CudaSource renamed(CudaSource s, String entry) {
        return new CudaSource(entry, s.text().replace(s.entry(), entry), s.blockSize());
    }

    private static void narrowBlocks(CudaBackend b) {
        var e = expectThrows(KernelCompileException.class, () -> b.build(CudaCheckKernels.NARROW));
        expect(e.log().contains("blocks of 128") && e.log().contains("at most 64"), "the log says why: %s", e.log());
    }

    private static void otherThread(CudaBackend b) {
        float[] x = randomFloats(100, 6);
        BufferHandle buf = upload(b, x);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        float[][] got = new float[1][];
        Thread t = new Thread(() -> {
            try {
                got[0] = download(b, buf, 100);
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "weft-cuda-check");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        expect(failed.get() == null, "copyOut on another thread failed: %s", failed.get());
        expect(Arrays.equals(got[0], x), "copyOut on another thread returned other values");
        b.free(buf);
    }

    private static void fault(CudaBackend b) {
        CudaKernel fault = b.build(CudaCheckKernels.FAULT);
        b.launch(fault, new BufferHandle[0], new long[] {1, 8}, 1);
        var e = expectThrows(CudaException.class, b::synchronize);
        expect(e.errorName().equals("CUDA_ERROR_ILLEGAL_ADDRESS") && e.sticky(), "the error is the illegal address: %s",
                e.getMessage());
        expect(e.getMessage().contains("weft_check_fault") && e.getMessage().contains("sticky"),
                "the message names the kernel and says the error is sticky: %s", e.getMessage());
        var refused = expectThrows(IllegalStateException.class, () -> b.alloc(DType.F32, 4));
        expect(refused.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS") && refused.getMessage().contains("restart"),
                "later calls are refused, naming the error: %s", refused.getMessage());
        b.close();
        b.close();
    }

    // ---- host helpers

    static void expect(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }

    static <T extends Throwable> T expectThrows(Class<T> type, Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + e, e);
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", nothing was thrown");
    }

    static BufferHandle upload(CudaBackend b, float[] values) {
        BufferHandle buf = b.alloc(DType.F32, values.length);
        b.copyIn(buf, 0, MemorySegment.ofArray(values));
        return buf;
    }

    static float[] download(CudaBackend b, BufferHandle buf, int n) {
        float[] out = new float[n];
        b.copyOut(buf, 0, MemorySegment.ofArray(out));
        return out;
    }

    static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }

    /** {@code n} elements of random bits in the SPI's layout (BOOL 0 or 1). */
    static byte[] random(DType type, int n, long seed) {
        Random r = new Random(seed);
        byte[] out = new byte[n * type.bytes()];
        r.nextBytes(out);
        if (type == DType.BOOL) {
            for (int i = 0; i < n; i++) {
                out[i] &= 1;
            }
        }
        return out;
    }

    /** Element {@code i} of {@code bytes} as canonical bits (F16 and U32 zero-extended). */
    static long read(byte[] bytes, DType type, int i) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        return switch (type) {
            case BOOL -> m.get(ValueLayout.JAVA_BYTE, i);
            case F16 -> m.get(SHORT, i * 2L) & 0xFFFFL;
            case F32, I32 -> m.get(INT, i * 4L);
            case U32 -> m.get(INT, i * 4L) & 0xFFFF_FFFFL;
            case F64, I64, U64 -> m.get(LONG, i * 8L);
        };
    }

    static void write(byte[] bytes, DType type, int i, long bits) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        switch (type) {
            case BOOL -> m.set(ValueLayout.JAVA_BYTE, i, (byte) bits);
            case F16 -> m.set(SHORT, i * 2L, (short) bits);
            case F32, I32, U32 -> m.set(INT, i * 4L, (int) bits);
            case F64, I64, U64 -> m.set(LONG, i * 8L, bits);
        }
    }
}
