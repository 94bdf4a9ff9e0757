package dev.weft.backend.opencl;

import static org.jocl.CL.CL_BUILD_PROGRAM_FAILURE;
import static org.jocl.CL.CL_INVALID_KERNEL_NAME;
import static org.jocl.CL.CL_KERNEL_COMPILE_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_KERNEL_NUM_ARGS;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetKernelInfo;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import dev.weft.KernelCompileException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds OpenCL C into launchable {@link OpenClKernel}s for one device, and caches them.
 *
 * <p><b>Batching.</b> {@link #buildAll} builds every source it has not built before as <em>one</em>
 * OpenCL program (one {@code clBuildProgram}: a cold PoCL build costs about a second, nearly all
 * of it fixed cost, so a hundred kernels build in little more than one; PoCL then compiles each
 * kernel's work-group function at its first launch, about 0.1 s per kernel that no batching
 * saves, and keeps it in its cache). If that program fails,
 * the batch is split in halves and each half built again, down to the single kernels that fail;
 * every kernel that builds is kept, and the first that fails is reported as a
 * {@link KernelCompileException} with its own program text and build log (a handful of builds
 * for one bad kernel among many, not one build per kernel).
 *
 * <p><b>Cache.</b> Keyed by a 128-bit hash of what the driver compiles (build options, prelude,
 * kernel text, work-group size) plus the device name and driver version, so that a key never
 * matches a binary of another device or driver. The cache lives as long as the backend (its
 * {@code cl_program}s belong to the backend's context). Across processes, drivers keep their own
 * binary caches (PoCL under {@code POCL_CACHE_DIR}, NVIDIA under {@code ~/.nv/ComputeCache}).
 *
 * <p><b>Exactness.</b> Build options {@value #OPTIONS}: correctly rounded F32 division and square
 * root, and none of the relaxing options ({@code -cl-fast-relaxed-math}, {@code -cl-mad-enable},
 * {@code -cl-denorms-are-zero}). The prelude turns contraction off ({@code FP_CONTRACT OFF}: no
 * {@code a * b + c} fused behind the source's back; kernels write {@code fma} explicitly) and
 * enables {@code cl_khr_fp64} where the device has it.
 */
final class OpenClCompiler {
    /** Options of every build. */
    static final String OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";

    /**
     * A build cache key.
     *
     * @param source the hash of options, prelude, entry, work-group size and text
     * @param deviceName the device's name
     * @param driverVersion the driver's version
     */
    record BuildKey(HashCode source, String deviceName, String driverVersion) {}

    private final cl_context context;
    private final OpenClDevice device;
    private final Object label;
    private final String prelude;
    private final Map<BuildKey, OpenClKernel> built = new HashMap<>();
    private final List<cl_program> programs = new ArrayList<>();
    private int programBuilds;
    private long buildNanos;

    OpenClCompiler(cl_context context, OpenClDevice device, Object label) {
        this.context = context;
        this.device = device;
        this.label = label;
        this.prelude = "#pragma OPENCL FP_CONTRACT OFF\n"
                + (device.fp64() ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "");
    }

    /** Builds one source (or finds it in the cache). */
    synchronized OpenClKernel build(OpenClSource source) {
        return buildAll(List.of(source)).getFirst();
    }

    /**
     * Builds the sources not yet in the cache as one program and returns a kernel for each
     * source, in order (equal sources give the same kernel).
     *
     * @throws KernelCompileException for the first source that does not build, with its program text and build log
     * @throws IllegalArgumentException if two different sources share an entry name
     */
    synchronized List<OpenClKernel> buildAll(List<OpenClSource> sources) {
        List<BuildKey> keys = new ArrayList<>(sources.size());
        Map<String, BuildKey> byEntry = new HashMap<>();
        Map<BuildKey, OpenClSource> missing = new LinkedHashMap<>();
        for (OpenClSource s : sources) {
            BuildKey key = key(s);
            BuildKey other = byEntry.putIfAbsent(s.entry(), key);
            if (other != null && !other.equals(key)) {
                throw new IllegalArgumentException("buildAll(): two different sources define the kernel " + s.entry()
                        + "; kernels built together need distinct entry names (name them by their hash)");
            }
            keys.add(key);
            if (!built.containsKey(key)) {
                missing.putIfAbsent(key, s);
            }
        }
        if (!missing.isEmpty()) {
            buildTogether(new ArrayList<>(missing.entrySet()));
        }
        return keys.stream().map(built::get).toList();
    }

    /** {@code clBuildProgram} calls so far (cache hits make none). */
    synchronized int programBuilds() {
        return programBuilds;
    }

    /** Seconds spent in {@code clBuildProgram} so far. */
    synchronized double buildSeconds() {
        return buildNanos / 1e9;
    }

    /** Releases every kernel and program; the compiler is not used afterwards. */
    synchronized void release() {
        built.values().forEach(OpenClKernel::release);
        built.clear();
        programs.forEach(p -> clReleaseProgram(p));
        programs.clear();
    }

    private BuildKey key(OpenClSource s) {
        HashCode hash = Hashing.murmur3_128().newHasher()
                .putString(OPTIONS, StandardCharsets.UTF_8).putByte((byte) 0)
                .putString(prelude, StandardCharsets.UTF_8).putByte((byte) 0)
                .putString(s.entry(), StandardCharsets.UTF_8).putByte((byte) 0)
                .putInt(s.workGroupSize())
                .putString(s.text(), StandardCharsets.UTF_8).hash();
        return new BuildKey(hash, device.name(), device.driverVersion());
    }

    private String programText(List<Map.Entry<BuildKey, OpenClSource>> batch) {
        StringBuilder sb = new StringBuilder(prelude);
        for (Map.Entry<BuildKey, OpenClSource> e : batch) {
            sb.append('\n').append(e.getValue().text());
        }
        return sb.toString();
    }

    private void buildTogether(List<Map.Entry<BuildKey, OpenClSource>> batch) {
        KernelCompileException failure = buildOrSplit(batch);
        if (failure != null) {
            throw failure;
        }
    }

    /** Builds the batch as one program, or its halves if it fails; caches what builds and returns the first failure. */
    private KernelCompileException buildOrSplit(List<Map.Entry<BuildKey, OpenClSource>> batch) {
        String text = programText(batch);
        int[] error = new int[1];
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {text}, null, error);
        OpenClErrors.check(error[0], "clCreateProgramWithSource (" + batch.size() + " kernels)", label);
        long start = System.nanoTime();
        int status = clBuildProgram(program, 1, new cl_device_id[] {device.device()}, OPTIONS, null, null);
        buildNanos += System.nanoTime() - start;
        programBuilds++;
        if (status != CL_SUCCESS) {
            String log = buildLog(program);
            clReleaseProgram(program);
            if (status != CL_BUILD_PROGRAM_FAILURE) {
                throw OpenClErrors.failure(status, "building " + batch.size() + " kernels (" + log + ")", label);
            }
            if (batch.size() == 1) {
                return new KernelCompileException(batch.getFirst().getValue().entry() + " on " + label, text, log);
            }
            int half = batch.size() / 2;
            KernelCompileException first = buildOrSplit(batch.subList(0, half));
            KernelCompileException second = buildOrSplit(batch.subList(half, batch.size()));
            return first != null ? first : second;
        }
        programs.add(program);
        KernelCompileException failure = null;
        for (Map.Entry<BuildKey, OpenClSource> e : batch) {
            try {
                built.put(e.getKey(), kernel(program, e.getValue(), text));
            } catch (KernelCompileException k) {
                failure = failure == null ? k : failure;
            }
        }
        return failure;
    }

    private OpenClKernel kernel(cl_program program, OpenClSource source, String text) {
        int[] error = new int[1];
        cl_kernel k = clCreateKernel(program, source.entry(), error);
        if (error[0] == CL_INVALID_KERNEL_NAME) {
            throw new KernelCompileException(source.entry() + " on " + label, text,
                    "the source defines no __kernel named " + source.entry());
        }
        OpenClErrors.check(error[0], "clCreateKernel(" + source.entry() + ")", label);
        int[] args = new int[1];
        long[] groupLimit = new long[1];
        long[] declared = new long[3];
        int status = clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(args), null);
        if (status == CL_SUCCESS) {
            status = clGetKernelWorkGroupInfo(k, device.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(groupLimit), null);
        }
        if (status == CL_SUCCESS) {
            status = clGetKernelWorkGroupInfo(k, device.device(), CL_KERNEL_COMPILE_WORK_GROUP_SIZE, 3L * Sizeof.size_t,
                    Pointer.to(declared), null);
        }
        boolean declaresOther = declared[0] != 0 && (declared[0] != source.workGroupSize() || declared[1] != 1
                || declared[2] != 1);
        String problem = status != CL_SUCCESS ? "querying the kernel failed: " + OpenClErrors.name(status)
                : args[0] < 1 ? "the kernel takes no arguments; argument 0 must be the parameter block "
                        + "(__constant ulong* weft_params)"
                : declaresOther ? "the kernel declares reqd_work_group_size(" + declared[0] + ", " + declared[1] + ", "
                        + declared[2] + ") but its OpenClSource says " + source.workGroupSize() + " work-items per group"
                : groupLimit[0] < source.workGroupSize() ? "the kernel is written for work-groups of "
                        + source.workGroupSize() + " work-items, but " + device.name() + " runs it with at most "
                        + groupLimit[0] + " (CL_KERNEL_WORK_GROUP_SIZE); render it for smaller groups"
                : null;
        if (problem != null) {
            clReleaseKernel(k);
            throw new KernelCompileException(source.entry() + " on " + label, text, problem);
        }
        return new OpenClKernel(source, context, k, args[0]);
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        if (clGetProgramBuildInfo(program, device.device(), CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS
                || size[0] <= 1) {
            return "(the driver gave no build log)";
        }
        byte[] bytes = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device.device(), CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == '\n')) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
