/**
 * The OpenCL backend ("opencl") on JOCL, found through {@link dev.weft.spi.BackendProvider}; it
 * exports nothing, since users reach it as {@code Device.of("opencl")}. JOCL is an automatic
 * module named after its jar ({@code jocl}: the jar declares no module name); it carries its JNI
 * library, and loads it and the system's OpenCL ICD loader only when the provider probes.
 */
@SuppressWarnings("requires-automatic")
module dev.weft.backend.opencl {
    requires dev.weft;
    requires com.google.common;
    requires jocl;

    provides dev.weft.spi.BackendProvider with dev.weft.backend.opencl.OpenClProvider;
}
