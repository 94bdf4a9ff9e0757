package dev.weft;

/** A backend was asked for that cannot run here; the message says why and what to do. */
public class BackendUnavailableException extends IllegalStateException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
