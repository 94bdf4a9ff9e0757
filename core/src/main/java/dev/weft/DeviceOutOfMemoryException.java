package dev.weft;

/**
 * Device memory ran out even after the allocator emptied its cache, collected garbage and
 * retried once. The message names the request and what the device holds.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
