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
 * A CoopVec-style MLP step over 65536 lanes as one hand-built kernel, the way the core emits a
 * network layer and its backward pass: 64 inputs loaded per lane, three 64x64 MATVEC layers with
 * bias and ReLU (MAX with 0) between them, the output used as its own loss gradient, then per
 * layer an OUTER_ADD into a packed weight-gradient buffer and (for the two inner layers) a
 * transposed MATVEC with the ReLU mask (SELECT) for the input gradient, all on vector values.
 *
 * <p>FLOP per lane: forward 3 x 2 x 64 x 64 = 24576, weight gradients 3 x 2 x 64 x 64 = 24576,
 * input gradients 2 x 2 x 64 x 64 = 16384: 65536 in all, 4.295 GFLOP per launch
 * (GFLOP/s = 4295 / milliseconds per launch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MlpBench {
    static final int WIDTH = 64;
    static final int LANES = 65536;

    @Param({"cpu"})
    public String device;

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
        backend = Device.of(device).backend();
        Kernel kernel = kernel();
        program = backend.compile(kernel);
        BufferHandle x = GemmBench.upload(backend, WIDTH * LANES, 3);
        BufferHandle weights = GemmBench.upload(backend, 3 * (WIDTH * WIDTH + WIDTH), 4);
        BufferHandle grads = backend.alloc(DType.F32, 3 * WIDTH * WIDTH);
        backend.fill(grads, 0, 3 * WIDTH * WIDTH, 0);
        buffers = new BufferHandle[] {x, weights, grads};
    }

    /** Slots: 0 inputs (component c at c * LANES + lane), 1 weights and biases, 2 weight gradients. */
    static Kernel kernel() {
        List<Kernel.Instr> code = new ArrayList<>();
        int lane = add(code, new Kernel.Instr(Op.LANE, DType.I32, -1, -1, -1, -1, 0));
        int zero = add(code, new Kernel.Instr(Op.LITERAL, DType.F32, -1, -1, -1, -1, 0));
        List<Integer> in = new ArrayList<>();
        for (int c = 0; c < WIDTH; c++) {
            int offset = add(code, new Kernel.Instr(Op.LITERAL, DType.I32, -1, -1, -1, -1, (long) c * LANES));
            int index = add(code, new Kernel.Instr(Op.ADD, DType.I32, lane, offset, -1, -1, 0));
            in.add(add(code, new Kernel.Instr(Op.LOAD, DType.F32, index, -1, -1, -1, 0)));
        }
        int h = add(code, new Kernel.Instr(Op.PACK, DType.F32, WIDTH, -1, -1, -1, -1, 0, in, null));
        List<Integer> inputs = new ArrayList<>();
        List<MatrixAccess> layers = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            long base = (long) layer * (WIDTH * WIDTH + WIDTH);
            MatrixAccess m = new MatrixAccess(WIDTH, WIDTH, base, WIDTH, false);
            // the bias lives after the matrix: one vector load at a literal index, the same on every lane
            int at = add(code, new Kernel.Instr(Op.LITERAL, DType.I32, -1, -1, -1, -1, base + WIDTH * WIDTH));
            int bias = add(code, new Kernel.Instr(Op.LOAD, DType.F32, WIDTH, at, -1, -1, -1, 1));
            int y = add(code, new Kernel.Instr(Op.MATVEC, DType.F32, WIDTH, h, bias, -1, -1, 1, List.of(), m));
            inputs.add(h);
            layers.add(m);
            h = layer < 2 ? add(code, new Kernel.Instr(Op.MAX, DType.F32, WIDTH, y, zero, -1, -1, 0)) : y;
        }
        int grad = h; // d(0.5 |y|^2)/dy = y
        for (int layer = 2; layer >= 0; layer--) {
            add(code, new Kernel.Instr(Op.OUTER_ADD, DType.F32, 1, grad, inputs.get(layer), -1, -1, 2, List.of(),
                    new MatrixAccess(WIDTH, WIDTH, (long) layer * WIDTH * WIDTH, WIDTH, false)));
            if (layer == 0) {
                break;
            }
            MatrixAccess m = layers.get(layer);
            int back = add(code, new Kernel.Instr(Op.MATVEC, DType.F32, WIDTH, grad, zero, -1, -1, 1, List.of(),
                    new MatrixAccess(m.rows(), m.cols(), m.offset(), m.stride(), true)));
            int active = add(code, new Kernel.Instr(Op.GT, DType.BOOL, WIDTH, inputs.get(layer), zero, -1, -1, 0));
            grad = add(code, new Kernel.Instr(Op.SELECT, DType.F32, WIDTH, active, back, zero, -1, 0));
        }
        return new Kernel(code, List.of(DType.F32, DType.F32, DType.F32), List.of());
    }

    private static int add(List<Kernel.Instr> code, Kernel.Instr in) {
        code.add(in);
        return code.size() - 1;
    }

    @Benchmark
    public void forwardBackward64x3() {
        backend.launch(program, buffers, new long[0], LANES);
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + backend.description());
        for (BufferHandle b : buffers) {
            backend.free(b);
        }
    }
}
