package dev.weft.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Device;
import dev.weft.Tensor;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The suite can fail: a wrong expectation, a crash and a stale known failure are reported as
 * failures with the case id and the program; ids are unique; random programs cover what the
 * generator promises.
 */
class SuiteMachineryTest {
    private static final Device REFERENCE = Device.of("reference");

    @Test
    void aWrongExpectationFailsWithIdProgramAndBits() {
        ConformanceCase c = Checks.program("test/wrong", "test", ResultClass.BIT_EXACT, "x.add(1)",
                () -> Tensor.of(new float[] {1, 2}).add(1),
                () -> new Expected.Exact(Values.ofFloats(new float[] {2, 3.0000002f})));
        Outcome o = CaseRunner.run(c, REFERENCE);
        assertTrue(o.isFailed());
        assertTrue(o.detail().contains("test/wrong") && o.detail().contains("x.add(1)")
                && o.detail().contains("[1] expected 3.0000002 (0x40400001), actual 3.0 (0x40400000)"), o.detail());
    }

    @Test
    void theCrossBackendHookComparesWithTheReferenceBitForBit() {
        Device twin = Device.of("twin");
        Values right = Values.ofFloats(new float[] {2, 3});
        Values wrong = Values.ofFloats(new float[] {2, Math.nextUp(3f)});
        java.util.function.Supplier<Tensor> program = () -> Tensor.of(new float[] {1, 2}).add(1);
        assertTrue(CrossBackend.identical(twin, program, right).isPassed());
        Outcome o = CrossBackend.identical(twin, program, wrong);
        assertTrue(o.isFailed() && o.detail().contains("reference"), o.detail());
        assertTrue(CrossBackend.identical(REFERENCE, program, wrong).isPassed(), "no reference to compare with");
    }

    @Test
    void anExceptionIsAFailureOfTheCase() {
        ConformanceCase c = Checks.program("test/throws", "test", ResultClass.BIT_EXACT, "bad reshape",
                () -> Tensor.of(new float[] {1, 2}).reshape(3), () -> new Expected.Exact(Values.ofFloats(new float[3])));
        Outcome o = CaseRunner.run(c, REFERENCE);
        assertTrue(o.isFailed() && o.detail().contains("IllegalArgumentException"), o.detail());
    }

    @Test
    void aKnownFailureIsSkippedUntilItPassesThenReportedAsFailed() {
        ConformanceCase c = new ConformanceCase("test/known", "test", EnumSet.noneOf(Tag.class),
                ResultClass.BIT_EXACT, "", d -> Outcome.passed());
        Map<String, String> known = Map.of("test/known", "a bug in words");
        Outcome stale = KnownFailures.apply(c, Outcome.passed(), known);
        assertTrue(stale.isFailed() && stale.detail().contains("remove it"), stale.detail());
        Outcome open = KnownFailures.apply(c, Outcome.failed("wrong"), known);
        assertTrue(open.status() == Outcome.Status.SKIPPED && open.detail().contains("a bug in words"), open.detail());
        assertTrue(KnownFailures.apply(c, Outcome.failed("wrong"), Map.of()).isFailed());
    }

    @Test
    void caseIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (CaseGroups.Group g : CaseGroups.all()) {
            for (ConformanceCase c : g.cases().get()) {
                assertTrue(ids.add(c.id()), "duplicate id " + c.id());
                assertEquals(g.name(), c.group(), c.id());
            }
        }
    }

    @Test
    void randomProgramsCoverEveryOpDtypeAndForm() {
        Set<ElementOp> ops = EnumSet.noneOf(ElementOp.class);
        Set<DType> dtypes = EnumSet.noneOf(DType.class);
        int sums = 0;
        int scalars = 0;
        int slices = 0;
        int broadcasts = 0;
        int mixed = 0;
        for (int i = 0; i < RandomPrograms.DEFAULT_COUNT; i++) {
            RandomProgram p = ProgramGenerator.generate(i);
            sums += p.sum() ? 1 : 0;
            List<RandomProgram.Step> steps = p.steps();
            for (RandomProgram.Step s : steps) {
                dtypes.add(s.dtype());
                switch (s) {
                    case RandomProgram.Apply a -> {
                        ops.add(a.op());
                        for (int arg : a.args()) {
                            broadcasts += steps.get(arg).shape()[0] != a.shape()[0] ? 1 : 0;
                            mixed += a.op() != ElementOp.WHERE && steps.get(arg).dtype() != a.compute() ? 1 : 0;
                        }
                    }
                    case RandomProgram.Scalar x -> scalars++;
                    case RandomProgram.Input in -> slices += in.from() > 0 || in.to() < in.values().size() ? 1 : 0;
                    case RandomProgram.Cast c -> { }
                }
            }
        }
        Set<ElementOp> expectedOps = EnumSet.allOf(ElementOp.class);
        assertEquals(expectedOps, ops);
        assertEquals(EnumSet.allOf(DType.class), dtypes);
        assertTrue(sums > 30 && scalars > 100 && slices > 100 && broadcasts > 100 && mixed > 100,
                sums + " sums, " + scalars + " scalars, " + slices + " slices, " + broadcasts + " broadcasts, "
                        + mixed + " mixed-dtype operands");
    }
}
