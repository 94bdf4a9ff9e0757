package dev.weft.bench;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;

/**
 * {@code GemmLoop M N K THREADS WARMUP_SECONDS SECONDS}: F32 {@code C[M x N] = A[M x K] B[K x N]}
 * through the Backend SPI on the CPU (as {@link GemmBench}), called in a loop; prints the mean
 * milliseconds per call and GFLOP/s ({@code 2 M N K} per call). The runner
 * ({@code benchmarks/python/compare.py}) alternates it with NumPy on the same shapes.
 */
public final class GemmLoop {
    private GemmLoop() {}

    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        System.setProperty("weft.threads", args[3]);
        double warmup = Double.parseDouble(args[4]);
        double seconds = Double.parseDouble(args[5]);
        Backend backend = Device.of("cpu").backend();
        BufferHandle a = GemmBench.upload(backend, m * k, 1);
        BufferHandle b = GemmBench.upload(backend, k * n, 2);
        BufferHandle c = backend.alloc(DType.F32, (long) m * n);
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmup * 1e9) {
            gemm(backend, m, n, k, a, b, c);
        }
        int calls = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9 || calls < 3) {
            gemm(backend, m, n, k, a, b, c);
            calls++;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / calls;
        System.out.printf("weft_gemm_ms %.4f gflops %.1f calls %d%n", ms, 2.0 * m * n * k / ms / 1e6, calls);
        backend.free(a);
        backend.free(b);
        backend.free(c);
    }

    private static void gemm(Backend backend, int m, int n, int k, BufferHandle a, BufferHandle b, BufferHandle c) {
        backend.gemm(1, false, false, m, n, k, a, 0, b, 0, c, 0, DType.F32);
        backend.synchronize();
    }
}
