package dev.weft;

/**
 * A snapshot of a device's memory as Weft manages it, from {@link Device#memory()}: for
 * diagnostics, benchmarks and tests of memory use.
 *
 * {@snippet :
 * MemoryStats m = Device.of("cpu").memory();
 * System.out.printf("%d bytes in use (peak %d), %d cached%n", m.bytesInUse(), m.peakBytesInUse(), m.bytesCached());
 * }
 *
 * @param bytesInUse bytes held by the buffers of live tensors (reachable, not freed by a scope)
 * @param peakBytesInUse the most {@code bytesInUse} has been since the device was opened
 * @param bytesCached bytes of freed buffers kept for reuse (held on the device, not in use)
 */
public record MemoryStats(long bytesInUse, long peakBytesInUse, long bytesCached) {}
