package dev.weft;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.memory.CachingAllocator;
import dev.weft.schedule.Scheduler;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import java.util.Objects;

/**
 * A place where tensors live and kernels run: one device of one backend, such as
 * {@code Device.of("cpu")}, {@code Device.of("opencl:0")} or {@code Device.of("reference")}.
 *
 * <p>The backend is opened on first use and stays open until {@link #close()}; after that,
 * tensors that lived on it can no longer be read, and {@code Device.of} opens a fresh one.
 * {@link #defaultDevice()} is the innermost {@code Weft.device(...)} scope of the calling
 * thread, else the process-wide default (DESIGN.md "Backend SPI and discovery").
 *
 * {@snippet :
 * try (var s = Weft.device(Device.of("reference"))) {
 *     Tensor t = Tensor.arange(DType.F32, 4); // lives on the reference device
 * }
 * }
 */
public final class Device implements AutoCloseable {
    private final BackendProvider provider;
    private final int index;
    private Backend backend;
    private CachingAllocator allocator;
    private volatile boolean closed;

    Device(BackendProvider provider, int index) {
        this.provider = provider;
        this.index = index;
    }

    /**
     * The device named {@code spec}: a backend name with an optional index, {@code "cpu"} or
     * {@code "opencl:1"}.
     *
     * @throws IllegalArgumentException if no backend has that name (the message lists the names)
     * @throws BackendUnavailableException if that backend cannot run here (the message says why)
     */
    public static Device of(String spec) {
        Objects.requireNonNull(spec, "Device.of(): spec");
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        int index = 0;
        if (colon >= 0) {
            try {
                index = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Device.of(\"" + spec + "\"): the index after ':' must be a number, "
                        + "as in \"opencl:0\"");
            }
            checkArgument(index >= 0, "Device.of(\"%s\"): negative device index", spec);
        }
        return Devices.open(name, index);
    }

    /** The device that tensor creation uses on this thread now (see the class comment). */
    public static Device defaultDevice() {
        return Devices.current();
    }

    /** The backend's name ("cpu"). */
    public String name() {
        return provider.name();
    }

    public int index() {
        return index;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The opened backend (for diagnostics and backend tests). */
    public synchronized Backend backend() {
        checkOpen("backend()");
        if (backend == null) {
            backend = provider.open(index);
            allocator = new CachingAllocator(backend);
        }
        return backend;
    }

    /**
     * How much memory Weft holds on this device now (opens the backend if needed). Buffers of
     * tensors that the garbage collector has found unreachable are released first.
     */
    public MemoryStats memory() {
        return allocator().stats();
    }

    /** The device's caching allocator (opens the backend if needed). */
    synchronized CachingAllocator allocator() {
        backend();
        return allocator;
    }

    /** Throws if the device was closed, naming the operation. */
    void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + ": device " + this + " was closed; move tensors you still need "
                    + "with t.to(otherDevice) before closing it, or recreate them on Device.of(\"" + name() + "\")");
        }
    }

    /**
     * Releases the backend and every buffer on it; idempotent. Tensors on this device become
     * unreadable ({@link IllegalStateException}); {@code Device.of} afterwards opens a new one.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Devices.forget(this);
        Scheduler.locked(() -> {
            if (backend != null) {
                allocator.close("device " + this + " was closed");
                Scheduler.forget(backend);
                backend.close();
            }
            return null;
        });
    }

    @Override
    public String toString() {
        return name() + ":" + index;
    }
}
