package dev.weft.backend.opencl;

import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices of every platform and puts them in the order {@code opencl:index}
 * counts them: <b>GPUs first, then accelerators, then CPU devices, then any other kind; within a
 * kind, in platform order, then in the platform's device order</b> (both as the ICD loader and the
 * driver report them). So {@code opencl:0} is the first GPU when there is one, whatever platform
 * it is on, and PoCL's CPU device comes after every GPU.
 *
 * <p>This is the first place that touches native code: JOCL loads its JNI library and the ICD
 * loader ({@code libOpenCL.so}) when its {@code CL} class initializes. A missing loader surfaces
 * as an {@link UnsatisfiedLinkError} (later uses as {@link NoClassDefFoundError}), both
 * {@link LinkageError}s, which are turned into a reason here rather than thrown.
 */
final class OpenClDiscovery {
    /**
     * What discovery found.
     *
     * @param devices the usable devices in {@code opencl:index} order; empty if none
     * @param problem why there is no usable device and how to fix it (empty when there are devices)
     */
    record Result(List<OpenClDevice> devices, String problem) {
        Result {
            devices = List.copyOf(devices);
        }
    }

    static final Comparator<OpenClDevice> ORDER = Comparator.comparing(OpenClDevice::kind)
            .thenComparingInt(OpenClDevice::platformIndex).thenComparingInt(OpenClDevice::deviceIndex);

    private static final String INSTALL = "install an OpenCL driver: the GPU vendor's, or PoCL for the CPU "
            + "(Debian/Ubuntu: apt-get install pocl-opencl-icd ocl-icd-opencl-dev)";

    private OpenClDiscovery() {}

    /** Lists the devices, or says why there are none; never throws. */
    static Result discover() {
        try {
            return find();
        } catch (LinkageError e) {
            return new Result(List.of(), "OpenCL cannot be loaded (" + e.getMessage() + "): no ICD loader "
                    + "(libOpenCL.so) was found; " + INSTALL);
        } catch (RuntimeException e) {
            return new Result(List.of(), "OpenCL discovery failed (" + e + "); check the driver with clinfo");
        }
    }

    private static Result find() {
        int[] count = new int[1];
        int status = clGetPlatformIDs(0, null, count);
        if (status == CL_PLATFORM_NOT_FOUND_KHR || status == CL_SUCCESS && count[0] == 0) {
            return new Result(List.of(), "the OpenCL ICD loader found no platform (no driver is registered in "
                    + "/etc/OpenCL/vendors); " + INSTALL);
        }
        if (status != CL_SUCCESS) {
            return new Result(List.of(), "clGetPlatformIDs failed with " + OpenClErrors.name(status)
                    + "; check the OpenCL installation with clinfo");
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        OpenClErrors.check(clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", "the ICD loader");
        List<OpenClDevice> usable = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        boolean pocl = false;
        for (int p = 0; p < platforms.length; p++) {
            int[] n = new int[1];
            status = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
            if (status == CL_DEVICE_NOT_FOUND || status == CL_SUCCESS && n[0] == 0) {
                pocl |= OpenClDevice.isPoclPlatform(platforms[p]);
                continue;
            }
            cl_device_id[] devices = new cl_device_id[Math.max(n[0], 0)];
            if (status == CL_SUCCESS) {
                status = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            }
            if (status != CL_SUCCESS) {
                unusable.add("platform " + p + " (clGetDeviceIDs: " + OpenClErrors.name(status) + ")");
                continue;
            }
            for (int d = 0; d < devices.length; d++) {
                OpenClDevice device = OpenClDevice.query(platforms[p], p, devices[d], d);
                if (device.usable()) {
                    usable.add(device);
                } else {
                    unusable.add(device.name() + " (not available, or without a compiler)");
                }
            }
        }
        if (usable.isEmpty()) {
            String why = platforms.length + " OpenCL platform" + (platforms.length == 1 ? "" : "s") + " but no usable device";
            if (!unusable.isEmpty()) {
                why += ": " + String.join(", ", unusable);
            }
            if (pocl) {
                why += "; PoCL hides its device when it cannot write its kernel cache: set POCL_CACHE_DIR to a writable "
                        + "directory";
            }
            return new Result(List.of(), why);
        }
        usable.sort(ORDER);
        return new Result(usable, "");
    }
}
