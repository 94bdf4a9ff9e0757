package dev.weft.schedule;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.memory.Buffer;
import dev.weft.spi.Kernel;
import dev.weft.trace.Node;
import dev.weft.trace.OpaqueScalar;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Linearizes the side effects of one domain into a {@link Kernel}: lowered nodes in dependency
 * order, each value once; buffers become slots and launch parameters are numbered in order of
 * first use, so the same program traced again yields an equal kernel. An opaque scalar is its own
 * parameter; launch values (offsets and bounds, {@link dev.weft.trace.Tracer#launchValue}) are
 * one parameter per distinct value, so their count does not grow with the program's size.
 *
 * <p>Values are numbered by structure (op, type, size, length, payload and operand
 * instructions), not by node identity: nodes of two traces that compute the same value (the
 * intern table starts over after each evaluation) become one instruction, so the kernel does not
 * depend on where traces were cut. Side effects are never merged.
 */
final class KernelBuilder {
    private final List<Kernel.Instr> instrs = new ArrayList<>();
    private final Map<Node, Integer> index = new IdentityHashMap<>();
    /** The instruction of each value, by structure. */
    private final Map<ValueKey, Integer> numbered = new HashMap<>();
    private final List<Buffer> slots = new ArrayList<>();
    private final Map<Buffer, Integer> slotOf = new IdentityHashMap<>();
    private final List<Node> params = new ArrayList<>();
    /** Structural equality: launch values by type and bits, opaque scalars by identity. */
    private final Map<Node, Integer> paramOf = new HashMap<>();

    /** A kernel with what its launch needs. */
    record Built(Kernel kernel, Buffer[] buffers, long[] params) {}

    void add(Node root) {
        // iterative post-order: deep graphs (long polynomials, unrolled loops) must not overflow the stack
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        stack.push(root);
        expanded.push(false);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            boolean ready = expanded.pop();
            if (index.containsKey(n)) {
                continue;
            }
            if (!ready) {
                stack.push(n);
                expanded.push(true);
                for (int i = n.arity() - 1; i >= 0; i--) {
                    if (!index.containsKey(n.arg(i))) {
                        stack.push(n.arg(i));
                        expanded.push(false);
                    }
                }
                continue;
            }
            emit(n);
        }
    }

    private void emit(Node n) {
        int[] a = {Kernel.NONE, Kernel.NONE, Kernel.NONE, Kernel.NONE};
        List<Integer> operands = List.of();
        if (n.op().isVariadic()) {
            Integer[] list = new Integer[n.arity()];
            for (int i = 0; i < list.length; i++) {
                list[i] = index.get(n.arg(i));
            }
            operands = List.of(list);
        } else {
            for (int i = 0; i < n.arity(); i++) {
                a[i] = index.get(n.arg(i));
            }
        }
        long imm = switch (n.op()) {
            case LITERAL, EXTRACT -> n.imm();
            case PARAM -> paramOf.computeIfAbsent(n, p -> { // by structure: launch values merge by value
                params.add(p);
                return params.size() - 1;
            });
            case LOAD, GATHER, SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX, MATVEC, OUTER_ADD ->
                    slotOf.computeIfAbsent((Buffer) n.ref(), b -> {
                        slots.add(b);
                        return slots.size() - 1;
                    });
            default -> 0;
        };
        if (!n.op().isSideEffect()) {
            // a launch value is its value; a buffer or opaque scalar is itself
            Object ref = n.op() == Op.PARAM && n.ref() == null ? null : n.ref();
            ValueKey key = new ValueKey(n.op(), n.type(), n.size(), n.length(), n.imm(), ref, n.matrix(), a, operands);
            Integer same = numbered.putIfAbsent(key, instrs.size());
            if (same != null) {
                index.put(n, same);
                return;
            }
        }
        index.put(n, instrs.size());
        instrs.add(new Kernel.Instr(n.op(), n.type(), n.length(), a[0], a[1], a[2], a[3], imm, operands, n.matrix()));
    }

    /** A value's structure, its operands named by instruction; refs compared by identity. */
    private record ValueKey(Op op, DType type, int size, int length, long imm, Object ref, MatrixAccess matrix,
                            int[] args, List<Integer> operands) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ValueKey k && op == k.op && type == k.type && size == k.size && length == k.length
                    && imm == k.imm && ref == k.ref && Objects.equals(matrix, k.matrix) && Arrays.equals(args, k.args)
                    && operands.equals(k.operands);
        }

        @Override
        public int hashCode() {
            int h = op.hashCode() * 31 + type.hashCode();
            h = h * 31 + size;
            h = h * 31 + length;
            h = h * 31 + Long.hashCode(imm);
            h = h * 31 + System.identityHashCode(ref);
            h = h * 31 + Objects.hashCode(matrix);
            h = h * 31 + Arrays.hashCode(args);
            return h * 31 + operands.hashCode();
        }
    }

    Built build() {
        List<DType> slotTypes = new ArrayList<>(slots.size());
        for (Buffer b : slots) {
            slotTypes.add(b.dtype());
        }
        List<DType> paramTypes = new ArrayList<>(params.size());
        long[] values = new long[params.size()];
        for (int i = 0; i < values.length; i++) {
            Node p = params.get(i);
            paramTypes.add(p.type());
            values[i] = p.ref() instanceof OpaqueScalar o ? o.bits() : p.imm();
        }
        return new Built(new Kernel(instrs, slotTypes, paramTypes), slots.toArray(Buffer[]::new), values);
    }
}
