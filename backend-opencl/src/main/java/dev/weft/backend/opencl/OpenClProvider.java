package dev.weft.backend.opencl;

import dev.weft.BackendUnavailableException;
import dev.weft.spi.Availability;
import dev.weft.spi.Backend;
import dev.weft.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The "opencl" provider. Construction is free; {@link #probe()} loads JOCL and the ICD loader
 * and lists the devices of every platform in {@link OpenClDiscovery}'s order (GPUs, then
 * accelerators, then CPU devices; platform order, then device order), which is the order of
 * {@code opencl:index}.
 *
 * <p>Its rank depends on what the probe finds: 300 (above the cpu backend) when
 * {@code opencl:0} is a GPU, 150 (below it) when it is a CPU device such as PoCL or any other
 * kind. Before the probe has run it reports 300, the best case.
 *
 * <p>Until the OpenCL C renderer of the lowered form exists (issue 15), the runtime is complete
 * but cannot compile the core's kernels, so the probe reports the backend unavailable, naming
 * the devices it found; {@link #KERNEL_RENDERER_PRESENT} marks that one gate.
 */
public final class OpenClProvider implements BackendProvider {
    /**
     * Whether {@link OpenClBackend#compile} can render the core's kernels to OpenCL C. False until
     * {@code OpenClRenderer} lands (issue 15); then the probe reports the devices as available.
     */
    static final boolean KERNEL_RENDERER_PRESENT = false;

    private volatile OpenClDiscovery.Result discovered;

    @Override
    public String name() {
        return "opencl";
    }

    /** 300 if {@code opencl:0} is a GPU, else 150; 300 before {@link #probe()} and where no device was found. */
    @Override
    public int priority() {
        OpenClDiscovery.Result found = discovered;
        return found == null || found.devices().isEmpty() ? OpenClDevice.Kind.GPU.priority
                : found.devices().getFirst().kind().priority;
    }

    @Override
    public Availability probe() {
        OpenClDiscovery.Result found = discovery();
        if (found.devices().isEmpty()) {
            return Availability.unavailable(found.problem());
        }
        if (!KERNEL_RENDERER_PRESENT) {
            return Availability.unavailable("found " + list(found.devices()) + ", but this build cannot yet render "
                    + "Weft's kernels to OpenCL C (the lowered form and its renderer, issue 15); use the cpu backend");
        }
        return Availability.available(list(found.devices()));
    }

    @Override
    public Backend open(int index) {
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("opencl:" + index + ": " + a.reason());
        }
        return openRuntime(index);
    }

    /**
     * Opens device {@code index} whether or not kernels can be rendered yet: the runtime alone
     * (buffers, builds of OpenCL C sources, launches, {@code gemm}).
     */
    OpenClBackend openRuntime(int index) {
        List<OpenClDevice> devices = discovery().devices();
        if (devices.isEmpty()) {
            throw new BackendUnavailableException("opencl:" + index + ": " + discovery().problem());
        }
        if (index < 0 || index >= devices.size()) {
            throw new BackendUnavailableException("opencl:" + index + " does not exist: OpenCL has " + devices.size()
                    + " device" + (devices.size() == 1 ? "" : "s") + " here, " + list(devices));
        }
        return new OpenClBackend(devices.get(index), index);
    }

    /** The devices in {@code opencl:index} order (empty where OpenCL is missing). */
    List<OpenClDevice> devices() {
        return discovery().devices();
    }

    private OpenClDiscovery.Result discovery() {
        OpenClDiscovery.Result found = discovered;
        if (found == null) {
            synchronized (this) {
                found = discovered;
                if (found == null) {
                    found = OpenClDiscovery.discover();
                    discovered = found;
                }
            }
        }
        return found;
    }

    /** "opencl:0 = PoCL 3.1+debian: pthread-... (CPU), 2 compute units, 4.4 GiB, F64; opencl:1 = ...". */
    private static String list(List<OpenClDevice> devices) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            parts.add("opencl:" + i + " = " + devices.get(i).describe());
        }
        return String.join("; ", parts);
    }
}
