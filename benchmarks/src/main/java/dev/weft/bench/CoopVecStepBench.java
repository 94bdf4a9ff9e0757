package dev.weft.bench;

import dev.weft.Device;
import dev.weft.Weft;
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
 * Issue 10's training step ({@link CoopVecStep}: a 2-64-64-64-3 ReLU MLP with biases in one
 * packed parameter, squared-norm loss, backward, Adam written with tensor ops, the loss read
 * back) per call, at batch 64, 1024, 65536 and 262144 on 2 threads: the framework's host path at small
 * batches, its kernels at large ones. Compare with {@code ../shared/tools/perf/torch_mlp.py}
 * run alternately (benchmarks/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoopVecStepBench {
    @Param({"64", "1024", "65536", "262144"})
    public int batch;

    @Param({"2"})
    public int threads;

    @Param({"cpu"})
    public String device;

    private Weft.Scope scope;
    private CoopVecStep step;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        scope = Weft.device(Device.of(device));
        step = new CoopVecStep(batch);
    }

    @Benchmark
    public double trainingStep() {
        return step.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + Weft.stats());
        scope.close();
    }
}
