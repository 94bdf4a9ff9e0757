package dev.weft.backend.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.JCudaDriver;

/**
 * The device's primary context (the one the CUDA runtime and other libraries share), retained
 * while a backend is open. CUDA makes a context current per thread, and the core may call a
 * backend from different threads (one at a time): every entry point calls {@link #makeCurrent()},
 * which asks the driver only when this thread's current context was last set to another one by
 * Weft (a thread-local remembers it), so the common case costs no driver call.
 */
final class CudaContext {
    /** The context Weft last made current on each thread. */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final Object label;
    private boolean released;

    CudaContext(CudaDevice device, Object label) {
        this.device = device;
        this.label = label;
        CudaErrors.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device.device()), "cuDevicePrimaryCtxRetain",
                label);
        makeCurrent();
    }

    /** Makes this context current on the calling thread. */
    void makeCurrent() {
        if (CURRENT.get() != this) {
            CudaErrors.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent", label);
            CURRENT.set(this);
        }
    }

    /** Releases the primary context (the driver destroys it when no one else holds it); idempotent. */
    void release() {
        if (!released) {
            released = true;
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            JCudaDriver.cuDevicePrimaryCtxRelease(device.device()); // nothing to do if this fails at shutdown
        }
    }
}
