package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.Parameter;
import dev.weft.Parameterized;
import dev.weft.Tensor;
import dev.weft.Weft;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer's contract (reference-semantics.md §5.1-§5.2) and its errors. */
class OptimizerTest {

    /** A stand-in for a layer: named cells, {@code put} is {@code Parameter.set}. */
    static final class Cells implements Parameterized {
        final Map<String, Parameter> cells = new LinkedHashMap<>();

        Cells with(String key, Tensor value) {
            cells.put(key, new Parameter(value));
            return this;
        }

        @Override
        public Map<String, Tensor> parameters() {
            return new java.util.AbstractMap<>() {
                @Override
                public Tensor put(String key, Tensor value) {
                    Tensor old = cells.get(key).get();
                    cells.get(key).set(value);
                    return old;
                }

                @Override
                public java.util.Set<Entry<String, Tensor>> entrySet() {
                    Map<String, Tensor> now = new LinkedHashMap<>();
                    cells.forEach((k, c) -> now.put(k, c.get()));
                    return now.entrySet();
                }
            };
        }

        /** {@code layer.update(optimizer)}: the keys this holds, the others ignored. */
        void update(Parameterized source) {
            source.parameters().forEach((k, v) -> {
                if (cells.containsKey(k)) {
                    cells.get(k).set(v);
                }
            });
        }
    }

    @Test
    void putKeepsADetachedCopyWithGradientsOn() {
        Adam opt = new Adam(1e-3);
        Tensor x = Tensor.of(new float[] {1}).requiresGrad(true);
        opt.put("x", x);
        assertTrue(opt.get("x").isRequiresGrad());
        assertTrue(opt.get("x") != x, "the optimizer's own tensor");
        opt.get("x").mul(2).backward();
        assertNull(x.grad(), "gradients reach the optimizer's copy, not the caller's tensor");
    }

    @Test
    void anF16ValueGetsAnF32MasterAndComesBackAsF16() {
        SGD opt = new SGD(0.25);
        opt.put("w", Tensor.of(new float[] {1.5f, -2}).to(DType.F16));
        assertEquals(DType.F32, opt.slots().get("w").master().dtype());
        Tensor w = opt.get("w");
        assertEquals(DType.F16, w.dtype());
        assertEquals(DType.F16, opt.parameters().get("w").dtype(), "parameters() and get() agree (a fixed quirk)");
        w.mul(w.to(DType.F32).mul(0).add(1).to(DType.F16)).sum().backward(); // d/dw = 1
        opt.step();
        assertArrayEquals(new float[] {1.25f, -2.25f}, opt.get("w").toFloatArray());
    }

    @Test
    void replacingAValueOfTheSameShapeKeepsTheMomentsAnotherShapeResetsThem() {
        Adam opt = new Adam(1);
        opt.put("x", Tensor.of(new float[] {1, 2, 3}));
        opt.get("x").setGrad(Tensor.of(new float[] {-1, -1, -1}));
        opt.step();
        float m = HostModel.lerp(-1, 0, 0.9f);
        float v = HostModel.lerp(1, 0, 0.999f);
        assertArrayEquals(new float[] {m, m, m}, opt.slots().get("x").moment("m").toFloatArray());
        opt.put("x", Tensor.of(new float[] {1, 2, 3}));
        assertArrayEquals(new float[] {v, v, v}, opt.slots().get("x").moment("v").toFloatArray());
        assertEquals(1, opt.steps("x"));
        opt.put("x", Tensor.of(new float[] {1, 2, 3, 4}));
        assertArrayEquals(new float[4], opt.slots().get("x").moment("m").toFloatArray());
        assertEquals(0, opt.steps("x"));
    }

    @Test
    void keysRemoveAndTheParametersView() {
        SGD opt = new SGD(0.1);
        opt.put("x", Tensor.of(new float[] {4}));
        opt.put("y", Tensor.of(new float[] {5}));
        assertEquals(List.of("x", "y"), List.copyOf(opt.keySet()));
        assertEquals(2, opt.size());
        assertEquals(List.of("x", "y"), List.copyOf(opt.parameters().keySet()));
        opt.parameters().put("x", Tensor.of(new float[] {7}));
        assertEquals(7, opt.get("x").item());
        assertThrows(IllegalArgumentException.class, () -> opt.parameters().put("z", Tensor.of(new float[] {1})));
        assertThrows(IllegalArgumentException.class, () -> opt.parameters().put("x", Tensor.of(new float[] {1, 2})));
        opt.remove("x");
        assertFalse(opt.contains("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.get("x"));
        assertTrue(e.getMessage().contains("no parameter \"x\"; the registered keys are [y]"), e.getMessage());
    }

    @Test
    void aParameterOwnLearningRateWinsUntilCleared() {
        SGD opt = new SGD(0.5);
        opt.put("a", Tensor.of(new float[] {1}));
        opt.put("b", Tensor.of(new float[] {1}));
        opt.setLearningRate("b", 0.25);
        assertEquals(0.25, opt.learningRate("b"));
        assertEquals(0.5, opt.learningRate("a"));
        opt.get("a").add(opt.get("b")).backward();
        opt.step();
        assertEquals(0.5, opt.get("a").item());
        assertEquals(0.75, opt.get("b").item());
        opt.setLearningRate(0.125);
        assertEquals(0.25, opt.learningRate("b"), "the parameter's own rate wins over the optimizer's");
        opt.clearLearningRate("b");
        assertEquals(0.125, opt.learningRate("b"));
    }

    @Test
    void maskedUpdatesKeepElementsWithZeroGradient() {
        Adam opt = new Adam(0.5).maskUpdates(true);
        opt.put("x", Tensor.of(new float[] {1, 1}));
        opt.get("x").setGrad(Tensor.of(new float[] {-2, 0}));
        opt.step();
        float[] x = opt.get("x").toFloatArray();
        assertTrue(x[0] > 1);
        assertEquals(1f, x[1]);
        assertEquals(0f, opt.slots().get("x").moment("m").toFloatArray()[1]);
    }

    @Test
    void gradientsAreClippedByTheirJointNorm() {
        SGD opt = new SGD(1).clipGradNorm(1);
        opt.put("a", Tensor.of(new float[] {0}));
        opt.put("b", Tensor.of(new float[] {0}));
        opt.get("a").mul(3).add(opt.get("b").mul(4)).backward(); // gradients 3 and 4: norm 5
        opt.step();
        double factor = 1 / (5 + 1e-6);
        assertEquals(-3 * factor, opt.get("a").item(), 1e-6);
        assertEquals(-4 * factor, opt.get("b").item(), 1e-6);
    }

    @Test
    void aStepWithoutGradientsStepsWithZeros() {
        Adam opt = new Adam(0.1);
        opt.put("x", Tensor.of(new float[] {3}));
        opt.step();
        assertEquals(3, opt.get("x").item());
        assertEquals(1, opt.steps("x"));
    }

    @Test
    void resetZeroesMomentsStepsAndOwnRates() {
        Adam opt = new Adam(0.1);
        opt.put("x", Tensor.of(new float[] {3}));
        opt.setLearningRate("x", 0.5);
        opt.get("x").backward();
        opt.step();
        opt.reset();
        assertEquals(0, opt.steps("x"));
        assertEquals(0.1, opt.learningRate("x"));
        assertEquals(0, opt.slots().get("x").moment("m").item());
    }

    @Test
    void layersAndOptimizersMeetThroughParameterized() {
        Cells net = new Cells().with("w", Tensor.of(new float[] {1, 2}).to(DType.F16));
        SGD opt = new SGD(0.5);
        opt.update(net);
        net.update(opt);
        net.cells.get("w").get().sum().backward();
        opt.step();
        net.update(opt);
        assertEquals(DType.F16, net.cells.get("w").dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f}, net.cells.get("w").get().toFloatArray());
    }

    @Test
    @SuppressWarnings("try") // the scope is held for its effect
    void mastersAndMomentsSurviveAScope() {
        Adam opt = new Adam(0.5);
        opt.put("x", Tensor.of(new float[] {1}));
        for (int i = 0; i < 3; i++) {
            try (var step = Weft.scope()) {
                Tensor u = opt.get("x").sub(2);
                u.mul(u).backward();
                opt.step();
            }
        }
        assertEquals(HostModel.adam(0.5, 0.9, 0.999, 1e-8, false, 0, 3)[2], opt.get("x").toFloatArray()[0]);
    }

    @Test
    void toStringFollowsTheReferenceLayout() {
        Adam opt = new Adam(1e-3);
        opt.setLearningRate(1e-4);
        opt.put("y", Tensor.of(new float[] {5}));
        assertEquals("Adam[\n  parameters = [y],\n  total_count = 1,\n  lr = {default: 0.0001},\n  beta = (0.9, 0.999),"
                + "\n  epsilon = 1e-08\n]", opt.toString());
        assertEquals("SGD[\n  parameters = [],\n  total_count = 0,\n  lr = {default: 0.1},\n  momentum = 0.9,\n"
                + "  nesterov = True\n]", new SGD(0.1).momentum(0.9).nesterov(true).toString());
    }

    // ---------------------------------------------------------------- bad input

    private static void assertRejected(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::execute);
        assertTrue(e.getMessage().contains(fragment), "message: " + e.getMessage());
    }

    @FunctionalInterface
    interface Executable {
        void execute() throws Throwable;
    }

    @Test
    void integerAndEmptyParametersAreRefusedAndNothingIsRegistered() {
        Adam opt = new Adam(1e-3);
        opt.put("ok", Tensor.of(new float[] {1}));
        assertRejected("cannot register parameter \"i\" of dtype I32", () -> opt.put("i", Tensor.of(new int[] {1})));
        assertRejected("parameter \"e\" is empty", () -> opt.put("e", Tensor.zeros(DType.F32, 0)));
        Cells net = new Cells().with("w", Tensor.of(new float[] {1})).with("n", Tensor.of(new int[] {1}));
        assertRejected("\"n\" of dtype I32", () -> opt.update(net));
        assertEquals(List.of("ok"), List.copyOf(opt.keySet()), "update() registered nothing");
    }

    @Test
    void learningRatesMustBePositive() {
        assertRejected("must be a finite number > 0", () -> new Adam(0));
        assertRejected("must be a finite number > 0", () -> new SGD(-1));
        SGD opt = new SGD(0.1);
        opt.put("x", Tensor.of(new float[] {1}));
        assertRejected("the learning rate is -0.5", () -> opt.setLearningRate(-0.5));
        assertRejected("the learning rate is NaN", () -> opt.setLearningRate("x", Double.NaN));
        assertEquals(0.1, opt.learningRate("x"));
    }

    @Test
    void hyperparametersOutsideTheirRangesAreTheReferencesErrors() {
        assertRejected("'beta_1' must be on the interval [0, 1)", () -> new Adam(1).betas(1, 0.9));
        assertRejected("'beta_2' must be on the interval [0, 1)", () -> new Adam(1).betas(0.9, -0.1));
        assertRejected("'epsilon' must be >= 0", () -> new Adam(1).epsilon(-1));
        assertRejected("'momentum' must be >= 0", () -> new SGD(1).momentum(-0.5));
        assertRejected("Nesterov acceleration assumes momentum > 0", () -> new SGD(1).nesterov(true));
        assertRejected("Nesterov acceleration assumes momentum > 0", () -> new SGD(1).momentum(0.9).nesterov(true)
                .momentum(0));
        assertRejected("'alpha' must be on the interval [0, 1)", () -> new RMSProp(1).alpha(1));
        assertRejected("'weight_decay' must be >= 0", () -> new AdamW(1, -0.1));
        assertRejected("'momentum' must be in [0, 1)", () -> new Muon(1).momentum(1));
        assertRejected("clipGradNorm()", () -> new Adam(1).clipGradNorm(-1));
        Adam opt = new Adam(1).betas(0.8, 0.9);
        assertRejected("'beta_1'", () -> opt.betas(2, 0.5));
        assertEquals(0.8, opt.beta1(), "a rejected setting leaves the old one");
        assertEquals(0.9, opt.beta2());
    }
}
