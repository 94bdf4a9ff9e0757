package dev.weft.backend.opencl;

/** Prints the probe's answer, for tests that run it in a child JVM with another OpenCL environment. */
final class ProbeMain {
    private ProbeMain() {}

    public static void main(String[] args) {
        var a = new OpenClProvider().probe();
        System.out.println((a.available() ? "available: " : "unavailable: ") + a.reason());
    }
}
