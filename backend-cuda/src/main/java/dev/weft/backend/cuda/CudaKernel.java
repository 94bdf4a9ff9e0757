package dev.weft.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * A loaded kernel, ready to launch: the {@code CUfunction}, its block size and its parameter
 * block. The block is one {@code long[]} per kernel that each launch fills and hands to
 * {@code cuLaunchKernel}, which copies kernel parameters when it is called: the next launch may
 * change the array at once.
 *
 * <p>Not thread-safe: a backend is used by one thread at a time (the core's evaluation lock).
 */
public final class CudaKernel {
    private final CudaSource source;
    private final CUfunction function;
    /** The backend that loaded it: a kernel runs only there. */
    final CudaBackend owner;
    private final int registers;
    private final long[] block;
    private final Pointer parameters;

    CudaKernel(CudaSource source, CUfunction function, CudaBackend owner, int words, int registers) {
        this.source = source;
        this.function = function;
        this.owner = owner;
        this.registers = registers;
        this.block = new long[words];
        this.parameters = Pointer.to(Pointer.to(block));
    }

    /** The kernel's entry name. */
    public String entry() {
        return source.entry();
    }

    /** The source it was loaded from. */
    public CudaSource source() {
        return source;
    }

    /** Threads per block. */
    public int blockSize() {
        return source.blockSize();
    }

    /** The 64-bit words of its parameter block, buffer addresses included. */
    public int parameterWords() {
        return block.length;
    }

    /** Registers per thread, as the driver compiled it. */
    public int registers() {
        return registers;
    }

    /**
     * Fills the parameter block with {@code words} then {@code addresses} and queues a grid of
     * {@code gridX * gridY * gridZ} blocks on {@code stream}; returns the driver's result.
     */
    int enqueue(CUstream stream, long[] words, long[] addresses, int gridX, int gridY, int gridZ) {
        System.arraycopy(words, 0, block, 0, words.length);
        System.arraycopy(addresses, 0, block, words.length, addresses.length);
        return JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, source.blockSize(), 1, 1, 0, stream,
                parameters, null);
    }

    @Override
    public String toString() {
        return entry();
    }
}
