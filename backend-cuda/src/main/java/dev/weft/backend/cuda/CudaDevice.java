package dev.weft.backend.cuda;

import java.util.Locale;
import jcuda.driver.CUdevice;

/**
 * What Weft needs to know about one CUDA device, queried once by {@link CudaDiscovery}.
 *
 * @param ordinal the device's index for the driver, which is {@code cuda:ordinal}
 * @param device the driver's handle
 * @param name the marketing name ("NVIDIA H200")
 * @param computeCapability major * 10 + minor (90 for sm_90)
 * @param totalMemoryBytes the device's memory
 * @param multiprocessors streaming multiprocessors
 * @param maxThreadsPerBlock the largest block the device runs
 * @param sharedMemoryPerBlock bytes of shared memory a block may use without opting in
 * @param maxGridX the largest grid in x (y and z: {@link #maxGridYZ})
 * @param maxGridYZ the largest grid in y and in z
 * @param driverVersion the driver's CUDA version, 1000 * major + 10 * minor (13000 for 13.0)
 */
record CudaDevice(int ordinal, CUdevice device, String name, int computeCapability, long totalMemoryBytes,
                  int multiprocessors, int maxThreadsPerBlock, int sharedMemoryPerBlock, int maxGridX, int maxGridYZ,
                  int driverVersion) {

    /** The PTX ISA version of every module Weft loads (CUDA 12.0 and newer drivers read it). */
    static final String PTX_VERSION = "8.0";
    /** The oldest driver that reads {@link #PTX_VERSION}: CUDA 12.0. */
    static final int MIN_DRIVER_VERSION = 12000;
    /**
     * The newest {@code .target} that PTX ISA 8.0 names; newer devices (sm_100, sm_120) run
     * sm_90 PTX, which their driver compiles for them.
     */
    static final int NEWEST_TARGET = 90;

    /** The PTX {@code .target} for this device: {@code sm_} and its compute capability, at most sm_90. */
    String ptxTarget() {
        return "sm_" + Math.min(computeCapability, NEWEST_TARGET);
    }

    /** "NVIDIA H200 (sm_90, 132 SMs, 139.8 GiB, driver CUDA 13.0)". */
    String describe() {
        return String.format(Locale.ROOT, "%s (sm_%d, %d SMs, %.1f GiB, driver CUDA %s)", name, computeCapability,
                multiprocessors, totalMemoryBytes / (double) (1L << 30), versionString(driverVersion));
    }

    /** 13000 as "13.0", 12040 as "12.4". */
    static String versionString(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }
}
