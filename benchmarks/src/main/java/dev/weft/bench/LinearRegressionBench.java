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
 * {@link LinearRegressionStep} per call, batch-major ({@code [B, 3] x [3, 1]}) against
 * feature-major ({@code [1, 3] x [3, B]}) at B = 1, 64, 4096 and 2^18: the same model in the two
 * layouts should cost about the same (issue 10: within 2x).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinearRegressionBench {
    @Param({"1", "64", "4096", "262144"})
    public int batch;

    @Param({"batch-major", "feature-major"})
    public String layout;

    @Param({"2"})
    public int threads;

    @Param({"cpu"})
    public String device;

    private Weft.Scope scope;
    private LinearRegressionStep step;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) {
            System.setProperty("weft.threads", Integer.toString(threads));
        }
        scope = Weft.device(Device.of(device));
        step = new LinearRegressionStep(batch, layout.equals("batch-major"));
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
