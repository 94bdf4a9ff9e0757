package dev.weft.bench;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.spi.Backend;
import dev.weft.spi.BufferHandle;
import dev.weft.spi.Kernel;
import dev.weft.spi.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU kernels of a CoopVec training step one at a time, as hand-built kernels over 65536
 * lanes through the Backend SPI (the whole step: {@link MlpBench}, {@link CoopVecStepBench}):
 * <ul>
 *   <li>{@code matvecChain}: 64 inputs loaded per lane, three 64x64 MATVECs with a uniform bias,
 *       ReLU (MAX with 0) after the first two (fused into the products' tiles), the output's
 *       components summed over the lanes (an OUTER_ADD with a literal 1). FLOP per lane: 3 x 2 x
 *       64 x 64 = 24576, 1.611 GFLOP per launch (GFLOP/s = 1611 / ms);
 *   <li>{@code outerProduct}: the weight gradient alone, {@code G += sum over lanes of u v^T}
 *       with u and v of 64 components loaded per lane. 2 x 64 x 64 = 8192 FLOP per lane, 0.537
 *       GFLOP per launch (GFLOP/s = 537 / ms).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoopVecKernelBench {
    static final int WIDTH = 64;
    static final int LANES = 65536;

    @Param({"matvecChain", "outerProduct"})
    public String kernel;

    @Param({"0"})
    public int threads;

    private Backend backend;
    private Program program;
    private BufferHandle[] buffers;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        backend = Device.of("cpu").backend();
        program = backend.compile(kernel.equals("matvecChain") ? matvecChain() : outerProduct());
        BufferHandle x = GemmBench.upload(backend, 2 * WIDTH * LANES, 3);
        BufferHandle weights = GemmBench.upload(backend, 3 * (WIDTH * WIDTH + WIDTH), 4);
        BufferHandle sums = backend.alloc(DType.F32, WIDTH * WIDTH);
        backend.fill(sums, 0, WIDTH * WIDTH, 0);
        buffers = new BufferHandle[] {x, weights, sums};
    }

    /** The vector of components {@code first .. first + 63} of slot 0 (component c at c * LANES + lane). */
    private static int input(List<Kernel.Instr> code, int lane, int first) {
        List<Integer> in = new ArrayList<>();
        for (int c = first; c < first + WIDTH; c++) {
            int offset = add(code, new Kernel.Instr(Op.LITERAL, DType.I32, -1, -1, -1, -1, (long) c * LANES));
            int index = add(code, new Kernel.Instr(Op.ADD, DType.I32, lane, offset, -1, -1, 0));
            in.add(add(code, new Kernel.Instr(Op.LOAD, DType.F32, index, -1, -1, -1, 0)));
        }
        return add(code, new Kernel.Instr(Op.PACK, DType.F32, WIDTH, -1, -1, -1, -1, 0, in, null));
    }

    /** Slots: 0 inputs, 1 weights and biases, 2 the output's lane sums. */
    static Kernel matvecChain() {
        List<Kernel.Instr> code = new ArrayList<>();
        int lane = add(code, new Kernel.Instr(Op.LANE, DType.I32, -1, -1, -1, -1, 0));
        int zero = add(code, new Kernel.Instr(Op.LITERAL, DType.F32, -1, -1, -1, -1, 0));
        int one = add(code, new Kernel.Instr(Op.LITERAL, DType.F32, -1, -1, -1, -1, Float.floatToRawIntBits(1f)));
        int h = input(code, lane, 0);
        for (int layer = 0; layer < 3; layer++) {
            long base = (long) layer * (WIDTH * WIDTH + WIDTH);
            MatrixAccess m = new MatrixAccess(WIDTH, WIDTH, base, WIDTH, false);
            int at = add(code, new Kernel.Instr(Op.LITERAL, DType.I32, -1, -1, -1, -1, base + WIDTH * WIDTH));
            int bias = add(code, new Kernel.Instr(Op.LOAD, DType.F32, WIDTH, at, -1, -1, -1, 1));
            int y = add(code, new Kernel.Instr(Op.MATVEC, DType.F32, WIDTH, h, bias, -1, -1, 1, List.of(), m));
            h = layer < 2 ? add(code, new Kernel.Instr(Op.MAX, DType.F32, WIDTH, y, zero, -1, -1, 0)) : y;
        }
        add(code, new Kernel.Instr(Op.OUTER_ADD, DType.F32, 1, h, one, -1, -1, 2, List.of(),
                new MatrixAccess(WIDTH, 1, 0, 1, false)));
        return new Kernel(code, List.of(DType.F32, DType.F32, DType.F32), List.of());
    }

    /** Slots: 0 the two inputs, 1 unused, 2 the 64x64 sums. */
    static Kernel outerProduct() {
        List<Kernel.Instr> code = new ArrayList<>();
        int lane = add(code, new Kernel.Instr(Op.LANE, DType.I32, -1, -1, -1, -1, 0));
        int u = input(code, lane, 0);
        int v = input(code, lane, WIDTH);
        add(code, new Kernel.Instr(Op.OUTER_ADD, DType.F32, 1, u, v, -1, -1, 2, List.of(),
                new MatrixAccess(WIDTH, WIDTH, 0, WIDTH, false)));
        return new Kernel(code, List.of(DType.F32, DType.F32, DType.F32), List.of());
    }

    private static int add(List<Kernel.Instr> code, Kernel.Instr in) {
        code.add(in);
        return code.size() - 1;
    }

    @Benchmark
    public void launch() {
        backend.launch(program, buffers, new long[0], LANES);
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (BufferHandle b : buffers) {
            backend.free(b);
        }
    }
}
