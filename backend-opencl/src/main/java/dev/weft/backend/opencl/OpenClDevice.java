package dev.weft.backend.opencl;

import static org.jocl.CL.CL_DEVICE_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_COMPILER_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_FP_DENORM;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * What Weft needs to know of one OpenCL device, read once at discovery: its handles, its kind
 * (which decides the provider's rank and the device order), its memory limits and the
 * arithmetic it guarantees.
 *
 * @param platform the platform handle
 * @param device the device handle
 * @param platformIndex the platform's position in {@code clGetPlatformIDs}
 * @param deviceIndex the device's position among its platform's devices
 * @param kind GPU, accelerator, CPU or other
 * @param name the device name ("pthread-skylake-avx512-AMD EPYC")
 * @param vendor the device vendor
 * @param platformName the platform name ("Portable Computing Language")
 * @param platformVersion the platform version string
 * @param driverVersion the driver version ("3.1+debian"); part of the build cache key
 * @param openClCVersion the OpenCL C version the compiler accepts
 * @param extensions the device extensions ({@code cl_khr_fp64}, ...)
 * @param computeUnits parallel compute units
 * @param globalMemoryBytes device memory
 * @param maxAllocationBytes the largest single buffer
 * @param localMemoryBytes work-group (local) memory
 * @param constantBufferBytes the largest {@code __constant} argument (the parameter block)
 * @param maxWorkGroupSize work-items per group at most
 * @param denormals whether F32 subnormals are kept ({@code CL_FP_DENORM})
 * @param correctlyRoundedDivideSqrt whether {@code -cl-fp32-correctly-rounded-divide-sqrt} is honoured
 * @param usable whether the device is available and has a compiler
 */
record OpenClDevice(cl_platform_id platform, cl_device_id device, int platformIndex, int deviceIndex, Kind kind,
                    String name, String vendor, String platformName, String platformVersion, String driverVersion,
                    String openClCVersion, Set<String> extensions, int computeUnits, long globalMemoryBytes,
                    long maxAllocationBytes, long localMemoryBytes, long constantBufferBytes, long maxWorkGroupSize,
                    boolean denormals, boolean correctlyRoundedDivideSqrt, boolean usable) {

    /** Device kinds in the order {@code open(index)} counts them: GPUs first. */
    enum Kind {
        GPU(300), ACCELERATOR(150), CPU(150), OTHER(150);

        /** The provider's rank when this kind is device 0: only a GPU ranks above the cpu backend (200). */
        final int priority;

        Kind(int priority) {
            this.priority = priority;
        }

        static Kind of(long type) {
            if ((type & CL_DEVICE_TYPE_GPU) != 0) {
                return GPU;
            }
            if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
                return ACCELERATOR;
            }
            return (type & CL_DEVICE_TYPE_CPU) != 0 ? CPU : OTHER;
        }
    }

    OpenClDevice {
        extensions = Set.copyOf(extensions);
    }

    /** Reads every property of {@code device}; a property the driver cannot report reads as empty or 0. */
    static OpenClDevice query(cl_platform_id platform, int platformIndex, cl_device_id device, int deviceIndex) {
        long fp = longInfo(device, CL_DEVICE_SINGLE_FP_CONFIG);
        return new OpenClDevice(platform, device, platformIndex, deviceIndex, Kind.of(longInfo(device, CL_DEVICE_TYPE)),
                stringInfo(device, CL_DEVICE_NAME), stringInfo(device, CL_DEVICE_VENDOR),
                platformString(platform, CL_PLATFORM_NAME), platformString(platform, CL_PLATFORM_VERSION),
                stringInfo(device, CL_DRIVER_VERSION), stringInfo(device, CL_DEVICE_OPENCL_C_VERSION),
                extensionSet(stringInfo(device, CL_DEVICE_EXTENSIONS)),
                intInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS), longInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                longInfo(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE), longInfo(device, CL_DEVICE_LOCAL_MEM_SIZE),
                longInfo(device, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE), sizeInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                (fp & CL_FP_DENORM) != 0, (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0,
                intInfo(device, CL_DEVICE_AVAILABLE) != 0 && intInfo(device, CL_DEVICE_COMPILER_AVAILABLE) != 0);
    }

    /** Whether the device computes in double precision ({@code cl_khr_fp64}). */
    boolean fp64() {
        return extensions.contains("cl_khr_fp64");
    }

    /** Whether the platform is PoCL (it hides its devices without a writable kernel cache). */
    boolean isPocl() {
        return isPocl(platformName, platformVersion);
    }

    /** Whether {@code platform} is PoCL, read from the platform alone (for a platform that shows no device). */
    static boolean isPoclPlatform(cl_platform_id platform) {
        return isPocl(platformString(platform, CL_PLATFORM_NAME), platformString(platform, CL_PLATFORM_VERSION));
    }

    private static boolean isPocl(String platformName, String platformVersion) {
        return platformName.contains("Portable Computing Language") || platformVersion.contains("PoCL");
    }

    /** A copy that claims no double precision: how a device without {@code cl_khr_fp64} looks (for tests). */
    OpenClDevice withoutFp64() {
        return new OpenClDevice(platform, device, platformIndex, deviceIndex, kind, name, vendor, platformName,
                platformVersion, driverVersion, openClCVersion,
                Set.copyOf(extensions.stream().filter(e -> !e.equals("cl_khr_fp64")).toList()), computeUnits,
                globalMemoryBytes, maxAllocationBytes, localMemoryBytes, constantBufferBytes, maxWorkGroupSize,
                denormals, correctlyRoundedDivideSqrt, usable);
    }

    /**
     * One line for {@code weft doctor}: "PoCL 3.1+debian: pthread-skylake-avx512-AMD EPYC (CPU), 2 compute
     * units, 4.4 GiB, F64" and what it lacks that Weft's exactness needs.
     */
    String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s: %s (%s), %d compute unit%s, %.1f GiB",
                isPocl() ? "PoCL" : platformName, driverVersion, name, kind, computeUnits, computeUnits == 1 ? "" : "s",
                globalMemoryBytes / (double) (1L << 30)));
        sb.append(fp64() ? ", F64" : ", no cl_khr_fp64 (F64 kernels cannot run)");
        if (!denormals) {
            sb.append(", flushes F32 subnormals to zero (results differ from the reference there)");
        }
        if (!correctlyRoundedDivideSqrt) {
            sb.append(", no correctly rounded F32 divide/sqrt (those results may differ in the last bit)");
        }
        return sb.toString();
    }

    private static Set<String> extensionSet(String list) {
        return Set.copyOf(Arrays.stream(list.split("\\s+")).filter(e -> !e.isEmpty()).toList());
    }

    /** One of {@code clGetDeviceInfo} and {@code clGetPlatformInfo}, with its object bound. */
    private interface InfoCall {
        int get(int param, long size, Pointer value, long[] sizeReturned);
    }

    private static String stringInfo(cl_device_id device, int param) {
        return string((p, size, value, ret) -> clGetDeviceInfo(device, p, size, value, ret), param);
    }

    private static String platformString(cl_platform_id platform, int param) {
        return string((p, size, value, ret) -> clGetPlatformInfo(platform, p, size, value, ret), param);
    }

    private static String string(InfoCall call, int param) {
        long[] size = new long[1];
        if (call.get(param, 0, null, size) != 0 || size[0] == 0) {
            return "";
        }
        byte[] bytes = new byte[(int) size[0]];
        if (call.get(param, bytes.length, Pointer.to(bytes), null) != 0) {
            return "";
        }
        return text(bytes);
    }

    /** A C string without its terminating zero (and anything after it), trimmed. */
    private static String text(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOf(bytes, end), StandardCharsets.UTF_8).trim();
    }

    private static long longInfo(cl_device_id device, int param) {
        long[] v = new long[1];
        return clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null) == 0 ? v[0] : 0;
    }

    private static int intInfo(cl_device_id device, int param) {
        int[] v = new int[1];
        return clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null) == 0 ? v[0] : 0;
    }

    private static long sizeInfo(cl_device_id device, int param) {
        long[] v = new long[1];
        return clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null) == 0 ? v[0] : 0;
    }
}
