package dev.weft.schedule;

import dev.weft.memory.Buffer;
import dev.weft.trace.Node;
import java.util.List;

/**
 * A pending side effect: work that writes a buffer and must happen before anyone reads it.
 * Effects on one buffer always commute (all adds, or stores to disjoint places), so the
 * scheduler may run them in one kernel or several, in any order.
 */
public sealed interface Effect permits Effect.Scatter, Effect.Gemm {

    /** The buffer written. */
    Buffer target();

    /** A scatter node (one of the SCATTER ops), fused into the kernel of its domain. */
    record Scatter(Node node) implements Effect {
        @Override
        public Buffer target() {
            return (Buffer) node.ref();
        }
    }

    /**
     * A batched matrix product run by the backend's {@code gemm} (see
     * {@link dev.weft.spi.Backend#gemm}); its inputs are whole evaluated buffers.
     */
    record Gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                Buffer a, long aOffset, Buffer b, long bOffset, Buffer c, long cOffset) implements Effect {
        @Override
        public Buffer target() {
            return c;
        }

        List<Buffer> reads() {
            return List.of(a, b);
        }
    }
}
