package dev.weft.conformance;

import dev.weft.DType;
import dev.weft.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Sizes that are not a multiple of a vector width or a chunk (0, 1, 7, 511, 513, 1031, 100003),
 * in one-component, several-component ({@code [3, n]}) and flat ({@code [n, 2]}, more than 1024
 * components) form, and empty tensors of several shapes, through short fused chains of
 * element-wise ops in each dtype. All bit-exact.
 */
public final class SizeCases implements Supplier<List<ConformanceCase>> {
    static final String GROUP = "sizes";
    static final long[] SIZES = {0, 1, 7, 511, 513, 1031, 100003};

    /** A chain of three-operand element-wise ops, on the device and on the host. */
    private record Chain(String text, DType dtype, ElementOp first, ElementOp second) {
        Tensor device(Tensor x, Tensor y, Tensor z) {
            return second.apply(first.apply(x, y), z);
        }

        Values host(Values x, Values y, Values z) {
            return HostShapes.map(second, dtype, HostShapes.map(first, dtype, x, y), z);
        }
    }

    private static final List<Chain> CHAINS = List.of(
            new Chain("x.mul(y).add(z)", DType.F32, ElementOp.MUL, ElementOp.ADD),
            new Chain("x.div(y).min(z)", DType.F64, ElementOp.DIV, ElementOp.MIN),
            new Chain("x.add(y).mul(z)", DType.F16, ElementOp.ADD, ElementOp.MUL),
            new Chain("x.xor(y).shiftLeft(z)", DType.I32, ElementOp.XOR, ElementOp.SHL),
            new Chain("x.mul(y).shiftRight(z)", DType.U32, ElementOp.MUL, ElementOp.SHR),
            new Chain("x.sub(y).max(z)", DType.I64, ElementOp.SUB, ElementOp.MAX));

    @Override
    public List<ConformanceCase> get() {
        List<ConformanceCase> out = new ArrayList<>();
        for (long n : SIZES) {
            for (Chain c : CHAINS) {
                out.add(chain(c, new long[] {n}));
            }
            out.add(chain(CHAINS.get(0), new long[] {3, n}));
            out.add(chain(CHAINS.get(3), new long[] {3, n}));
            if (n > 1024) {
                out.add(chain(CHAINS.get(0), new long[] {n, 2}));
                out.add(chain(CHAINS.get(2), new long[] {n, 2}));
            }
        }
        for (long[] empty : new long[][] {{0, 5}, {0, 2000}, {2000, 0}, {0, 0}, {2, 3, 0}}) {
            out.add(chain(CHAINS.get(0), empty));
            out.add(chain(CHAINS.get(3), empty));
        }
        return out;
    }

    private static ConformanceCase chain(Chain c, long[] shape) {
        String id = GROUP + "/" + c.dtype() + "/" + Arrays.toString(shape) + "/" + c.text();
        Supplier<Values[]> inputs = () -> {
            SplittableRandom r = new SplittableRandom(id.hashCode());
            return new Values[] {BroadcastCases.random(c.dtype(), r, shape), BroadcastCases.random(c.dtype(), r, shape),
                BroadcastCases.random(c.dtype(), r, shape)};
        };
        Tag[] tags = HostShapes.numel(shape) > 100_000 ? new Tag[] {Tag.of(c.dtype()), Tag.LARGE}
                : new Tag[] {Tag.of(c.dtype())};
        return Checks.program(id, GROUP, ResultClass.BIT_EXACT, c.text() + " over " + c.dtype() + Arrays.toString(shape)
                        + " (one fused kernel)",
                inputs, v -> c.device(DeviceIo.upload(v[0]), DeviceIo.upload(v[1]), DeviceIo.upload(v[2])),
                v -> new Expected.Exact(c.host(v[0], v[1], v[2])), tags);
    }
}
