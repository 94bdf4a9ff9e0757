package dev.weft;

/** A backend's compiler rejected a generated kernel; carries the source and the compiler log. */
public class KernelCompileException extends RuntimeException {
    private final String source;
    private final String log;

    public KernelCompileException(String kernelName, String source, String log) {
        super("compiling kernel " + kernelName + " failed; this is a bug in Weft or the backend, please report it "
                + "with the source and log below\n--- log ---\n" + log + "\n--- source ---\n" + source);
        this.source = source;
        this.log = log;
    }

    public String source() {
        return source;
    }

    public String log() {
        return log;
    }
}
