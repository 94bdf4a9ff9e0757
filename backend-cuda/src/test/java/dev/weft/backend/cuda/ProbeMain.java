package dev.weft.backend.cuda;

/** Test helper run in a child JVM: prints the cuda provider's probe as "available|unavailable: reason". */
public final class ProbeMain {
    private ProbeMain() {}

    public static void main(String[] args) {
        var a = new CudaProvider().probe();
        System.out.println((a.available() ? "available: " : "unavailable: ") + a.reason());
    }
}
