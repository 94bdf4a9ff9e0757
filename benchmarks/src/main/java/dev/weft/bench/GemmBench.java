package dev.weft.bench;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tensor-mode gemm through the Backend SPI: C[64 x 65536] = W[64 x 64] X[64 x 65536] in F32,
 * 2 * 64 * 64 * 65536 = 0.537 GFLOP per call (GFLOP/s = 537 / milliseconds per call), and
 * {@code gemm512cubed}: 512 x 512 by 512 x 512, 0.268 GFLOP per call.
 * {@code threads} sets {@code weft.threads} in the forked JVM (0: all cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBench {
    static final int M = 64;
    static final int K = 64;
    static final int N = 65536;
    static final int CUBE = 512;

    @Param({"cpu"})
    public String device;

    @Param({"0"})
    public int threads;

    private Backend backend;
    private BufferHandle a;
    private BufferHandle b;
    private BufferHandle c;
    private BufferHandle[] cube;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        backend = Device.of(device).backend();
        a = upload(backend, M * K, 1);
        b = upload(backend, K * N, 2);
        c = backend.alloc(DType.F32, (long) M * N);
        cube = new BufferHandle[] {upload(backend, CUBE * CUBE, 3), upload(backend, CUBE * CUBE, 4),
            backend.alloc(DType.F32, CUBE * CUBE)};
    }

    static BufferHandle upload(Backend backend, int count, long seed) {
        Random r = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) r.nextGaussian();
        }
        BufferHandle h = backend.alloc(DType.F32, count);
        backend.copyIn(h, 0, MemorySegment.ofArray(v));
        return h;
    }

    @Benchmark
    public void gemm64x64by64x65536() {
        backend.gemm(1, false, false, M, N, K, a, 0, b, 0, c, 0, DType.F32);
        backend.synchronize();
    }

    /** C[512 x 512] = A[512 x 512] B[512 x 512]: 0.268 GFLOP per call (GFLOP/s = 268 / ms). */
    @Benchmark
    public void gemm512cubed() {
        backend.gemm(1, false, false, CUBE, CUBE, CUBE, cube[0], 0, cube[1], 0, cube[2], 0, DType.F32);
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + backend.description());
        backend.free(a);
        backend.free(b);
        backend.free(c);
        for (BufferHandle h : cube) {
            backend.free(h);
        }
    }
}
