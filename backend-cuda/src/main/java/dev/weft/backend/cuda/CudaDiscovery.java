package dev.weft.backend.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static jcuda.driver.CUresult.CUDA_ERROR_NO_DEVICE;
import static jcuda.driver.CUresult.CUDA_ERROR_STUB_LIBRARY;
import static jcuda.driver.CUresult.CUDA_SUCCESS;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Loads JCuda and the NVIDIA driver and lists the devices, or says why there are none.
 *
 * <p>This is the first place that touches native code. JCuda's {@code JCudaDriver} class loads
 * its JNI library ({@code libJCudaDriver-<version>-<os>-<arch>}, extracted from the
 * {@code jcuda-natives} jar) when it initializes, and that library needs the driver's
 * {@code libcuda.so.1}. Either missing surfaces as an {@link UnsatisfiedLinkError} (later uses
 * of the class as {@link NoClassDefFoundError}), both {@link LinkageError}s; they are told apart
 * by the loader's message ({@link #whyNotLoaded}) and turned into a reason. The outcome of
 * loading is kept for the process, as the JVM keeps it.
 */
final class CudaDiscovery {
    /** The reason, word for word, where the driver library is absent. */
    static final String NO_DRIVER = "no CUDA driver (libcuda.so.1 not found)";
    /** The reason, word for word, where the driver loads but finds no GPU. */
    static final String NO_DEVICE = "no device";

    /**
     * What discovery found.
     *
     * @param devices the devices in {@code cuda:ordinal} order; empty if none
     * @param problem why there is no device and how to fix it (empty when there are devices)
     */
    record Result(List<CudaDevice> devices, String problem) {
        Result {
            devices = List.copyOf(devices);
        }
    }

    /** Null once JCuda and the driver library loaded; the reason where they did not. */
    private static String loadProblem;
    private static boolean loadAttempted;

    private CudaDiscovery() {}

    /** Lists the devices, or says why there are none; never throws. */
    static Result discover() {
        String problem = load();
        if (problem != null) {
            return new Result(List.of(), problem);
        }
        try {
            return find();
        } catch (LinkageError | RuntimeException e) {
            return new Result(List.of(), "CUDA discovery failed (" + e + "); check the driver with nvidia-smi");
        }
    }

    /** Loads JCuda's driver binding once per process; null if it loaded, else the reason. */
    static synchronized String load() {
        if (!loadAttempted) {
            loadAttempted = true;
            try {
                JCudaDriver.setExceptionsEnabled(false); // initializes the class: loads the JNI library and libcuda
            } catch (LinkageError e) {
                loadProblem = whyNotLoaded(e);
            }
        }
        return loadProblem;
    }

    /**
     * The reason for a failed load: the driver's library missing (the JNI library loaded from
     * the natives jar but could not find {@code libcuda.so.1}), or JCuda's own native library
     * missing (no {@code jcuda-natives} jar for this platform on the class path).
     */
    static String whyNotLoaded(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        if (text.contains("libcuda.so")) {
            return NO_DRIVER + ": install the NVIDIA driver, which provides libcuda.so.1 (nvidia-smi checks it); "
                    + "the CUDA toolkit is not needed";
        }
        String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse(e.toString()).strip();
        String resource = text.lines().filter(l -> l.contains("No resource found")).findFirst().map(String::strip)
                .orElse("");
        return "JCuda's native library could not be loaded on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + " (" + first + (resource.isEmpty() ? "" : "; " + resource)
                + "): the jar org.jcuda:jcuda-natives with this platform's classifier (linux-x86_64) must be on the "
                + "class path beside org.jcuda:jcuda";
    }

    private static Result find() {
        int status = JCudaDriver.cuInit(0);
        if (status == CUDA_ERROR_NO_DEVICE) {
            return new Result(List.of(), NO_DEVICE + ": the NVIDIA driver is installed but finds no GPU (check "
                    + "nvidia-smi, and CUDA_VISIBLE_DEVICES if it is set)");
        }
        if (status == CUDA_ERROR_STUB_LIBRARY) {
            return new Result(List.of(), NO_DRIVER + " (the libcuda.so.1 found is the CUDA toolkit's stub, not a "
                    + "driver): install the NVIDIA driver, and keep the toolkit's stubs directory off LD_LIBRARY_PATH");
        }
        if (status != CUDA_SUCCESS) {
            return new Result(List.of(), "cuInit failed with " + CudaErrors.name(status) + " (" + status
                    + "); check the driver with nvidia-smi");
        }
        int[] version = new int[1];
        CudaErrors.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion", "the driver");
        if (version[0] < CudaDevice.MIN_DRIVER_VERSION) {
            return new Result(List.of(), "the NVIDIA driver supports CUDA " + CudaDevice.versionString(version[0])
                    + ", but Weft's kernels are PTX " + CudaDevice.PTX_VERSION + ", which needs a driver for CUDA "
                    + CudaDevice.versionString(CudaDevice.MIN_DRIVER_VERSION) + " or newer: update the driver");
        }
        int[] count = new int[1];
        CudaErrors.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount", "the driver");
        if (count[0] == 0) {
            return new Result(List.of(), NO_DEVICE + ": the NVIDIA driver is installed but finds no GPU (check "
                    + "nvidia-smi, and CUDA_VISIBLE_DEVICES if it is set)");
        }
        List<CudaDevice> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            devices.add(query(i, version[0]));
        }
        return new Result(devices, "");
    }

    private static CudaDevice query(int ordinal, int driverVersion) {
        String where = "cuda:" + ordinal;
        CUdevice device = new CUdevice();
        CudaErrors.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet", where);
        byte[] name = new byte[256];
        CudaErrors.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName", where);
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        long[] memory = new long[1];
        CudaErrors.check(JCudaDriver.cuDeviceTotalMem(memory, device), "cuDeviceTotalMem", where);
        return new CudaDevice(ordinal, device, new String(name, 0, end, StandardCharsets.UTF_8).strip(),
                10 * attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, where)
                        + attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, where),
                memory[0],
                attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, where),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, where),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, where),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, where),
                Math.min(attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, where),
                        attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, where)),
                driverVersion);
    }

    private static int attribute(CUdevice device, int attribute, String where) {
        int[] value = new int[1];
        CudaErrors.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute("
                + attribute + ")", where);
        return value[0];
    }
}
