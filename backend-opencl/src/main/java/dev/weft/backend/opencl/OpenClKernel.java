package dev.weft.backend.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clSetKernelArg;

import java.util.Arrays;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * A built kernel, ready to launch: the {@code cl_kernel}, its work-group size and the arguments
 * last set on it. OpenCL keeps a kernel's arguments between launches, so a launch sets only what
 * changed: the parameter block when its words differ from the previous launch's, and each buffer
 * argument whose buffer differs. A training step that repeats its launches with the same
 * buffers and parameters costs one {@code clEnqueueNDRangeKernel} per kernel.
 *
 * <p>The parameter block is a small read-only buffer created with the words copied in
 * ({@code CL_MEM_COPY_HOST_PTR}: the host array can change right after) and released when it is
 * replaced; OpenCL frees it only once the launches that read it have finished.
 *
 * <p>Not thread-safe: a backend is used by one thread at a time (the core's evaluation lock).
 */
public final class OpenClKernel {
    private final OpenClSource source;
    /** The context it was built in: a kernel runs only on the backend that built it. */
    final cl_context context;
    private final cl_kernel kernel;
    private final cl_mem[] boundBuffers;
    private long[] boundWords;
    private cl_mem parameterBlock;
    private boolean released;

    OpenClKernel(OpenClSource source, cl_context context, cl_kernel kernel, int arguments) {
        this.source = source;
        this.context = context;
        this.kernel = kernel;
        this.boundBuffers = new cl_mem[Math.max(0, arguments - 1)];
    }

    /** The kernel's entry name. */
    public String entry() {
        return source.entry();
    }

    /** The source it was built from. */
    public OpenClSource source() {
        return source;
    }

    /** Work-items per group. */
    public int workGroupSize() {
        return source.workGroupSize();
    }

    /** The number of buffer arguments (all arguments but the parameter block). */
    public int bufferCount() {
        return boundBuffers.length;
    }

    /**
     * Sets what changed and enqueues {@code groups} work-groups. Messages are formatted only on
     * failure.
     *
     * @param device names the device in errors
     */
    void enqueue(cl_command_queue queue, cl_mem[] buffers, long[] words, long groups, Object device) {
        if (!Arrays.equals(words, boundWords)) {
            bindWords(words, device);
        }
        for (int i = 0; i < buffers.length; i++) {
            if (boundBuffers[i] != buffers[i]) {
                int status = clSetKernelArg(kernel, i + 1, Sizeof.cl_mem, Pointer.to(buffers[i]));
                if (status != CL_SUCCESS) {
                    throw OpenClErrors.failure(status, "launch of kernel " + entry() + ": setting buffer argument "
                            + (i + 1), device);
                }
                boundBuffers[i] = buffers[i];
            }
        }
        long local = source.workGroupSize();
        int status = clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {groups * local}, new long[] {local}, 0,
                null, null);
        if (status != CL_SUCCESS) {
            throw OpenClErrors.failure(status, "launch of kernel " + entry() + " (" + groups + " work-groups of "
                    + local + ")", device);
        }
    }

    private void bindWords(long[] words, Object device) {
        long[] copy = words.length == 0 ? new long[1] : words.clone();
        int[] error = new int[1];
        cl_mem block = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) copy.length * Sizeof.cl_ulong,
                Pointer.to(copy), error);
        if (error[0] != CL_SUCCESS) {
            throw OpenClErrors.failure(error[0], "launch of kernel " + entry() + ": creating its parameter block of "
                    + copy.length + " words", device);
        }
        int status = clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(block));
        if (status != CL_SUCCESS) {
            clReleaseMemObject(block);
            throw OpenClErrors.failure(status, "launch of kernel " + entry() + ": setting the parameter block", device);
        }
        if (parameterBlock != null) {
            clReleaseMemObject(parameterBlock);
        }
        parameterBlock = block;
        boundWords = words.clone();
    }

    /** Releases the kernel and its parameter block; idempotent. */
    void release() {
        if (!released) {
            released = true;
            if (parameterBlock != null) {
                clReleaseMemObject(parameterBlock);
                parameterBlock = null;
            }
            clReleaseKernel(kernel);
        }
    }

    @Override
    public String toString() {
        return entry();
    }
}
