package dev.weft.backend.cpu;

/**
 * What one launch of a program works on: the buffers by slot, the launch parameters' bits, the
 * number of lanes, the values computed once per launch ({@link UniformSteps}: canonical bits per
 * component, by instruction) and data that steps prepare per launch (converted weights), by
 * instruction.
 */
final class Launch {
    final CpuBuffer[] buffers;
    final long[] params;
    final long n;
    final long[][] uniform;
    final Object[] prepared;

    Launch(CpuBuffer[] buffers, long[] params, long n, int instructions) {
        this.buffers = buffers;
        this.params = params;
        this.n = n;
        this.uniform = new long[instructions][];
        this.prepared = new Object[instructions];
    }
}
