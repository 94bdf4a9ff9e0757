package dev.weft.conformance;

import dev.weft.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates {@link RandomProgram}s from a seed: a few inputs (F32, F64, I32, U32, F16; shape
 * {@code [N]} or {@code [1]}; some slices of longer inputs), then element-wise ops drawn from
 * {@link ElementOp} with operands of mixed dtypes where the API promotes them, Java scalar
 * operands, casts to every dtype, and sometimes a final {@code sum()}. The same seed always gives
 * the same program.
 */
public final class ProgramGenerator {
    private static final DType[] INPUT_TYPES = {DType.F32, DType.F64, DType.I32, DType.U32, DType.F16};
    private static final int[] SIZES = {1, 5, 17, 64, 255, 1000};
    private static final ElementOp[] SCALAR_OPS = {ElementOp.ADD, ElementOp.SUB, ElementOp.MUL, ElementOp.DIV,
        ElementOp.REM, ElementOp.MIN, ElementOp.MAX, ElementOp.LT, ElementOp.GT, ElementOp.EQ};
    private static final double[] FLOAT_SCALARS = {0.5, -3, 0.1, 1e-3, 2.5, 65504, 1e10, -0.0};
    private static final double[] INT_SCALARS = {0, 1, 3, 7, 31, 100, 65536};

    private final SplittableRandom r;
    private final int n;
    private final List<RandomProgram.Step> steps = new ArrayList<>();

    private ProgramGenerator(long seed) {
        r = new SplittableRandom(seed);
        n = SIZES[r.nextInt(SIZES.length)];
    }

    /** The program of {@code seed}. */
    public static RandomProgram generate(long seed) {
        return new ProgramGenerator(seed).program();
    }

    private RandomProgram program() {
        int inputs = r.nextInt(2, 5);
        for (int i = 0; i < inputs; i++) {
            addInput();
        }
        int ops = r.nextInt(3, 13);
        while (ops > 0) {
            int kind = r.nextInt(20);
            boolean added = kind < 14 ? addApply() : kind < 16 ? addScalar() : kind < 19 ? addCast() : addInput();
            if (added) {
                ops--;
            }
        }
        boolean[] cuts = new boolean[steps.size()];
        for (int i = inputs; i < cuts.length - 1; i++) {
            cuts[i] = r.nextInt(3) == 0;
        }
        return new RandomProgram(steps, r.nextInt(4) == 0, cuts);
    }

    private boolean addInput() {
        DType t = INPUT_TYPES[r.nextInt(INPUT_TYPES.length)];
        if (r.nextInt(5) == 0) {
            steps.add(new RandomProgram.Input(SampleValues.random(t, 1, r), 0, 1));
            return true;
        }
        int before = r.nextInt(3) == 0 ? r.nextInt(1, 9) : 0;
        int after = r.nextInt(3) == 0 ? r.nextInt(1, 9) : 0;
        steps.add(new RandomProgram.Input(SampleValues.random(t, before + n + after, r), before, before + n));
        return true;
    }

    private int pick() {
        // favour recent steps so that programs grow deep, not only wide
        int size = steps.size();
        return r.nextInt(3) == 0 ? r.nextInt(size) : Math.max(0, size - 1 - r.nextInt(Math.min(size, 3)));
    }

    private DType type(int step) {
        return steps.get(step).dtype();
    }

    private long[] shape(int... args) {
        long[] s = {1};
        for (int a : args) {
            s = HostShapes.broadcast(s, steps.get(a).shape());
        }
        return s;
    }

    private boolean addApply() {
        ElementOp op = ElementOp.values()[r.nextInt(ElementOp.values().length)];
        int[] args = new int[op.arity()];
        for (int k = 0; k < args.length; k++) {
            args[k] = pick();
        }
        if (op == ElementOp.WHERE && type(args[0]) != DType.BOOL) {
            return false;
        }
        DType compute;
        try {
            compute = switch (op) {
                case WHERE -> HostArithmetic.promote(type(args[1]), type(args[2]));
                case FMA -> HostArithmetic.promote(HostArithmetic.promote(type(args[0]), type(args[1])), type(args[2]));
                case SHL, SHR -> type(args[1]).isInteger() ? type(args[0]) : DType.BOOL; // BOOL: rejected below
                case AND, OR, XOR -> type(args[0]).isFloat() || type(args[1]).isFloat()
                        || (type(args[0]) == DType.BOOL) != (type(args[1]) == DType.BOOL)
                        ? DType.F32 : HostArithmetic.promote(type(args[0]), type(args[1]));
                default -> args.length == 1 ? type(args[0]) : HostArithmetic.promote(type(args[0]), type(args[1]));
            };
        } catch (IllegalArgumentException signedWithUnsigned) {
            return false;
        }
        if (!op.appliesTo(compute)) {
            return false;
        }
        steps.add(new RandomProgram.Apply(op, args, compute, op.resultType(compute), shape(args)));
        return true;
    }

    private boolean addScalar() {
        int a = pick();
        DType t = type(a);
        if (t == DType.BOOL) {
            return false;
        }
        ElementOp op = SCALAR_OPS[r.nextInt(SCALAR_OPS.length)];
        double s = t.isFloat() ? FLOAT_SCALARS[r.nextInt(FLOAT_SCALARS.length)]
                : INT_SCALARS[r.nextInt(INT_SCALARS.length)] * (t.isUnsigned() || r.nextBoolean() ? 1 : -1);
        steps.add(new RandomProgram.Scalar(op, a, s, op.resultType(t), shape(a)));
        return true;
    }

    private boolean addCast() {
        int a = pick();
        DType to = DType.values()[r.nextInt(DType.values().length)];
        if (to == type(a)) {
            return false;
        }
        steps.add(new RandomProgram.Cast(a, to, shape(a)));
        return true;
    }
}
