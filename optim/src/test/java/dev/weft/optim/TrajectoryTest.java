package dev.weft.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Ten steps of each optimizer on {@code (x - 2)^2} from {@code x = 1} (reference-semantics.md §5),
 * on the reference backend: bit for bit the float model of {@link HostModel}, and within the
 * reference's own tolerance ({@code allclose}: 1e-5 relative) of the trajectories that the
 * reference's tests pin (Dr.Jit's {@code tests/test_opt.py}, themselves PyTorch's numbers).
 */
class TrajectoryTest {
    static final int STEPS = 10;

    /** x after each of the ten steps, through the public API: get, backward, step. */
    static float[] run(Optimizer opt) {
        opt.put("x", Tensor.of(new float[] {1f}));
        float[] out = new float[STEPS];
        for (int i = 0; i < STEPS; i++) {
            Tensor u = opt.get("x").sub(2);
            u.mul(u).backward();
            opt.step();
            out[i] = opt.get("x").toFloatArray()[0];
        }
        return out;
    }

    static void assertTrajectory(float[] host, double[] pinned, float[] actual) {
        for (int i = 0; i < STEPS; i++) {
            assertEquals(Float.floatToIntBits(host[i]), Float.floatToIntBits(actual[i]),
                    "step " + (i + 1) + ": " + actual[i] + ", the float model gives " + host[i]);
            assertEquals(pinned[i], actual[i], 1e-5 * Math.abs(pinned[i]), "step " + (i + 1) + " against the reference");
        }
    }

    @Test
    void sgd() {
        assertTrajectory(HostModel.sgd(0.1, 0, false, STEPS), new double[] {1.2000000476837158, 1.3600000143051147,
            1.4880000352859497, 1.590399980545044, 1.672320008277893, 1.7378560304641724, 1.7902848720550537,
            1.8322279453277588, 1.865782380104065, 1.8926259279251099}, run(new SGD(0.1)));
    }

    @Test
    void sgdWithMomentum() {
        assertTrajectory(HostModel.sgd(0.1, 0.9, false, STEPS), new double[] {1.2000000476837158, 1.540000081062317,
            1.9380000829696655, 2.3085999488830566, 2.5804200172424316, 2.7089738845825195, 2.682877540588379,
            2.522815465927124, 2.2741963863372803, 1.9955999851226807}, run(new SGD(0.1).momentum(0.9)));
    }

    @Test
    void sgdWithNesterovMomentum() {
        assertTrajectory(HostModel.sgd(0.1, 0.9, true, STEPS), new double[] {1.3799999952316284, 1.7775999307632446,
            2.108351945877075, 2.3248229026794434, 2.415717363357544, 2.3980178833007812, 2.305670738220215,
            2.178046703338623, 2.0505480766296387, 1.9486393928527832}, run(new SGD(0.1).momentum(0.9).nesterov(true)));
    }

    @Test
    void rmsprop() {
        assertTrajectory(HostModel.rmsprop(0.02, 0.99, 1e-8, STEPS), new double[] {1.1999999284744263,
            1.3253216743469238, 1.4191335439682007, 1.4943490028381348, 1.5568580627441406, 1.609941005706787,
            1.655657410621643, 1.6954096555709839, 1.730210781097412, 1.7608258724212646}, run(new RMSProp(0.02)));
    }

    @Test
    void rmspropWithALargeEpsilonDividesBySqrtPlusEpsilon() {
        float[] host = HostModel.rmsprop(0.02, 0.9, 1e-3, STEPS);
        float[] actual = run(new RMSProp(0.02).alpha(0.9).epsilon(1e-3));
        for (int i = 0; i < STEPS; i++) {
            assertEquals(Float.floatToIntBits(host[i]), Float.floatToIntBits(actual[i]), "step " + (i + 1));
        }
    }

    @Test
    void adam() {
        assertTrajectory(HostModel.adam(0.5, 0.9, 0.999, 1e-8, false, 0, STEPS), new double[] {1.5,
            1.9660897254943848, 2.335904598236084, 2.542322874069214, 2.585475206375122, 2.5110909938812256,
            2.36381196975708, 2.179222583770752, 1.9882574081420898, 1.8196619749069214}, run(new Adam(0.5)));
    }

    @Test
    void adamWithAmsgrad() {
        assertTrajectory(HostModel.adam(0.5, 0.9, 0.999, 1e-8, true, 0, STEPS), new double[] {1.5,
            1.9660897254943848, 2.3358898162841797, 2.5423123836517334, 2.585469961166382, 2.511090040206909,
            2.363814353942871, 2.179227113723755, 1.9882631301879883, 1.8197473287582397},
                run(new Adam(0.5).amsgrad(true)));
    }

    @Test
    void adamW() {
        assertTrajectory(HostModel.adam(0.5, 0.9, 0.999, 1e-8, false, 0.01, STEPS), new double[] {1.494999885559082,
            1.954341173171997, 2.318138837814331, 2.5214834213256836, 2.5630908012390137, 2.4874978065490723,
            2.339653491973877, 2.1559929847717285, 1.9682894945144653, 1.8056352138519287},
                run(new AdamW(0.5, 0.01)));
    }

    @Test
    void adamWithOtherBetasAndALargeEpsilon() {
        float[] host = HostModel.adam(0.1, 0.8, 0.99, 1e-3, false, 0, STEPS);
        float[] actual = run(new Adam(0.1).betas(0.8, 0.99).epsilon(1e-3));
        for (int i = 0; i < STEPS; i++) {
            assertEquals(Float.floatToIntBits(host[i]), Float.floatToIntBits(actual[i]), "step " + (i + 1));
        }
    }

    @Test
    void uniformAdamOnAScalarIsAdam() {
        float[] host = HostModel.adam(0.5, 0.9, 0.999, 1e-8, false, 0, STEPS);
        float[] actual = run(new Adam(0.5).uniform(true));
        for (int i = 0; i < STEPS; i++) {
            assertEquals(Float.floatToIntBits(host[i]), Float.floatToIntBits(actual[i]), "step " + (i + 1));
        }
    }
}
