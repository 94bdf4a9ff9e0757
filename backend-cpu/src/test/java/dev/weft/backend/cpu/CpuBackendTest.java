package dev.weft.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider, buffers, and what a failing kernel does to the caller and to the pool. */
class CpuBackendTest {
    @Test
    void serviceLoaderFindsAnAvailableCpuProviderWithPriority200() {
        BackendProvider cpu = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
        assertEquals(200, cpu.priority());
        assertTrue(cpu.probe().available(), cpu.probe().reason());
        assertTrue(cpu.probe().reason().contains("float lanes"), cpu.probe().reason());
    }

    @Test
    void fillWritesCanonicalBitsOfEveryType() {
        Backend b = Differential.CPU;
        long[][] cases = {{DType.F16.ordinal(), 0x3C00}, {DType.F32.ordinal(), Float.floatToRawIntBits(-2.5f)},
            {DType.F64.ordinal(), Double.doubleToRawLongBits(Math.PI)}, {DType.I32.ordinal(), -7},
            {DType.U32.ordinal(), 0xFFFF_FFFEL}, {DType.I64.ordinal(), Long.MIN_VALUE}, {DType.BOOL.ordinal(), 1}};
        for (long[] c : cases) {
            DType t = DType.values()[(int) c[0]];
            BufferHandle h = b.alloc(t, 1000);
            b.fill(h, 0, 1000, 0);
            b.fill(h, 3, 995, c[1]);
            byte[] out = new byte[1000 * t.bytes()];
            b.copyOut(h, 0, MemorySegment.ofArray(out));
            for (int i = 0; i < 1000; i++) {
                long expected = i >= 3 && i < 998 ? c[1] : 0;
                byte[] one = new byte[t.bytes()];
                Differential.write(MemorySegment.ofArray(one), t, 0, expected);
                byte[] got = java.util.Arrays.copyOfRange(out, i * t.bytes(), (i + 1) * t.bytes());
                assertArrayEquals(one, got, t + " element " + i);
            }
            b.free(h);
        }
    }

    @Test
    void copyInAndOutUseElementOffsets() {
        Backend b = Differential.CPU;
        BufferHandle h = b.alloc(DType.F32, 10);
        b.fill(h, 0, 10, 0);
        b.copyIn(h, 4, MemorySegment.ofArray(new float[] {1, 2, 3}));
        float[] out = new float[5];
        b.copyOut(h, 3, MemorySegment.ofArray(out));
        assertArrayEquals(new float[] {0, 1, 2, 3, 0}, out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.copyIn(h, 9, MemorySegment.ofArray(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("copyIn()") && e.getMessage().contains("[9, 11)"), e.getMessage());
        b.free(h);
    }

    @Test
    void aKernelFailingInAWorkerThrowsOnceNamingTheKernelAndThePoolStaysUsable() {
        int n = 100_000;
        KernelSketch k = new KernelSketch();
        int out = k.slot(DType.I32);
        k.store(out, k.binary(Op.MUL, DType.I32, k.lane(), k.i32(3)), n);
        Kernel kernel = k.kernel();
        CpuBackend backend = (CpuBackend) Differential.CPU;
        CpuProgram program = (CpuProgram) backend.compile(kernel);
        // a step that fails in the chunk holding lane 70000, wherever that chunk runs
        CpuProgram failing = program.withExtraStep(Step.of(f -> (base, lanes) -> {
            if (base <= 70_000 && 70_000 < base + lanes) {
                throw new ArithmeticException("on purpose");
            }
        }));
        BufferHandle h = backend.alloc(DType.I32, n);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> backend.launch(failing, new BufferHandle[] {h}, new long[0], n));
        assertTrue(e.getMessage().contains(kernel.name()), e.getMessage());
        assertTrue(e.getMessage().contains("[69632, 70144)"), e.getMessage());
        assertSame(ArithmeticException.class, e.getCause().getClass());
        // the same pool runs the next launch to completion
        backend.launch(program, new BufferHandle[] {h}, new long[0], n);
        int[] result = new int[n];
        backend.copyOut(h, 0, MemorySegment.ofArray(result));
        for (int i = 0; i < n; i++) {
            assertEquals(i * 3, result[i], "lane " + i);
        }
        backend.free(h);
    }

    @Test
    void literalsAndParametersKeepTheirRegistersWhileOtherValuesReuseTheirs() {
        // many short-lived values between two uses of one literal: a reused register would clobber it
        int n = 1500;
        KernelSketch k = new KernelSketch();
        int out = k.slot(DType.I32);
        int p = k.param(DType.I32);
        int lane = k.lane();
        int v = lane;
        for (int i = 0; i < 20; i++) {
            v = k.binary(Op.ADD, DType.I32, v, k.binary(Op.XOR, DType.I32, lane, k.i32(i)));
        }
        k.store(out, k.binary(Op.ADD, DType.I32, v, p), n);
        Differential.assertSameBits("register reuse", k.kernel(), new byte[][] {new byte[n * 4]}, new long[] {12345}, n);
    }

    @Test
    void threadsComeFromTheWeftThreadsSetting() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ((CpuBackend) Differential.CPU).threads());
        assertTrue(Differential.CPU.description().contains("thread"), Differential.CPU.description());
    }

    @Test
    void aClosedBackendSaysHowToReopen() {
        Backend b = new CpuProvider().open(0);
        b.close();
        b.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.alloc(DType.F32, 1));
        assertTrue(e.getMessage().contains("Device.of(\"cpu\")"), e.getMessage());
    }
}
