package dev.weft.backend.cuda;

import dev.weft.DType;
import dev.weft.spi.BufferHandle;
import jcuda.driver.JCudaDriver;

/**
 * Test helper run in a child JVM on the fake driver: frees a buffer with {@code cuMemFree} while
 * a queued kernel still reads it (what {@link CudaBackend#free} must never do), then waits; prints
 * what the wait threw.
 */
public final class EarlyFreeMain {
    private EarlyFreeMain() {}

    public static void main(String[] args) {
        try (CudaBackend b = new CudaProvider().openRuntime(0)) {
            CudaKernel axpy = b.build(CudaCheckKernels.AXPY);
            BufferHandle x = b.alloc(DType.F32, 64);
            BufferHandle y = b.alloc(DType.F32, 64);
            b.launch(axpy, new BufferHandle[] {x, y}, new long[] {64, Float.floatToRawIntBits(1f)}, 64);
            JCudaDriver.cuMemFree(((CudaBuffer) x).pointer);
            b.synchronize();
            System.out.println("synchronize() passed");
        } catch (RuntimeException e) {
            System.out.println(e);
        }
    }
}
