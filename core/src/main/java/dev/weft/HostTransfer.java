package dev.weft;

import dev.weft.ir.ScalarOps;
import dev.weft.memory.Buffer;
import dev.weft.schedule.Scheduler;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves evaluated buffers between devices and the host, in the SPI's memory layout
 * (little-endian, BOOL one byte, F16 as half bits), under the evaluation lock.
 */
final class HostTransfer {
    private HostTransfer() {}

    /**
     * The first {@code n} elements of {@code buffer} as canonical bits, once the pending work of
     * this thread and every pending write of the buffer (whichever thread recorded it) has run.
     */
    static long[] read(Device device, Buffer buffer, DType dtype, int n) {
        long[] out = new long[n];
        byte[] raw = new byte[n * dtype.bytes()];
        MemorySegment seg = MemorySegment.ofArray(raw);
        Scheduler.locked(() -> {
            Scheduler.evaluate(buffer);
            if (n > 0) {
                device.backend().copyOut(buffer.handle(), 0, seg);
            }
            return null;
        });
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            long v = switch (dtype.bytes()) {
                case 1 -> bb.get(i);
                case 2 -> bb.getShort(i * 2);
                case 4 -> bb.getInt(i * 4);
                default -> bb.getLong(i * 8);
            };
            out[i] = ScalarOps.normalize(dtype, v);
        }
        return out;
    }

    /**
     * Copies {@code source} (on {@code from}) into {@code target} (on {@code to}) through the host,
     * after the pending work {@link #read} runs.
     */
    static Buffer copy(Device from, Buffer source, Device to, Buffer target) {
        long n = source.length();
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(n * source.dtype().bytes())]);
        Scheduler.locked(() -> {
            Scheduler.evaluate(source);
            if (n > 0) {
                from.backend().copyOut(source.handle(), 0, seg);
                to.backend().copyIn(target.handle(), 0, seg);
            }
            return null;
        });
        return target;
    }
}
