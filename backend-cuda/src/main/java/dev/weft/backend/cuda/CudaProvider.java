package dev.weft.backend.cuda;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The "cuda" provider, priority 400 (above every other backend). Construction is free;
 * {@link #probe()} loads JCuda and the NVIDIA driver and lists the devices
 * ({@link CudaDiscovery}); {@code cuda:index} is the driver's device ordinal. Without a driver
 * the probe says {@value CudaDiscovery#NO_DRIVER}; with a driver and no GPU,
 * {@value CudaDiscovery#NO_DEVICE}; it never throws.
 *
 * <p>Until the PTX renderer of the lowered form exists (issue 17), the runtime is complete but
 * cannot compile the core's kernels, so the probe reports the backend unavailable, naming the
 * devices it found; {@link #KERNEL_RENDERER_PRESENT} marks that one gate.
 */
public final class CudaProvider implements BackendProvider {
    /**
     * Whether {@link CudaBackend#compile} can render the core's kernels to PTX. False until
     * {@code CudaRenderer} lands (issue 17); then the probe reports the devices as available.
     */
    static final boolean KERNEL_RENDERER_PRESENT = false;

    private volatile CudaDiscovery.Result discovered;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 400;
    }

    @Override
    public Availability probe() {
        CudaDiscovery.Result found = discovery();
        if (found.devices().isEmpty()) {
            return Availability.unavailable(found.problem());
        }
        if (!KERNEL_RENDERER_PRESENT) {
            return Availability.unavailable("found " + list(found.devices()) + ", but this build cannot yet render "
                    + "Weft's kernels to PTX (the PTX renderer, issue 17); Weft runs on the default device below "
                    + "meanwhile");
        }
        return Availability.available(list(found.devices()));
    }

    @Override
    public Backend open(int index) {
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("cuda:" + index + ": " + a.reason());
        }
        return openRuntime(index);
    }

    /**
     * Opens device {@code index} whether or not kernels can be rendered yet: the runtime alone
     * (buffers, copies, PTX modules, launches, {@code gemm}).
     */
    CudaBackend openRuntime(int index) {
        CudaDiscovery.Result found = discovery();
        if (found.devices().isEmpty()) {
            throw new BackendUnavailableException("cuda:" + index + ": " + found.problem());
        }
        if (index < 0 || index >= found.devices().size()) {
            throw new BackendUnavailableException("cuda:" + index + " does not exist: the driver has "
                    + found.devices().size() + " device" + (found.devices().size() == 1 ? "" : "s") + " here, "
                    + list(found.devices()));
        }
        return new CudaBackend(found.devices().get(index));
    }

    /** The devices in {@code cuda:index} order (empty where CUDA is missing). */
    List<CudaDevice> devices() {
        return discovery().devices();
    }

    private CudaDiscovery.Result discovery() {
        CudaDiscovery.Result found = discovered;
        if (found == null) {
            synchronized (this) {
                found = discovered;
                if (found == null) {
                    found = CudaDiscovery.discover();
                    discovered = found;
                }
            }
        }
        return found;
    }

    /** "cuda:0 = NVIDIA H200 (sm_90, 132 SMs, 139.8 GiB, driver CUDA 13.0); cuda:1 = ...". */
    private static String list(List<CudaDevice> devices) {
        List<String> parts = new ArrayList<>();
        for (CudaDevice d : devices) {
            parts.add("cuda:" + d.ordinal() + " = " + d.describe());
        }
        return String.join("; ", parts);
    }
}
