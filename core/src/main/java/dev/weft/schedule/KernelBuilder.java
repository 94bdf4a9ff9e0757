package dev.weft.schedule;

import dev.weft.DType;
import dev.weft.memory.Buffer;
import dev.weft.spi.Kernel;
import dev.weft.trace.Node;
import dev.weft.trace.OpaqueScalar;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linearizes the side effects of one domain into a {@link Kernel}: lowered nodes in dependency
 * order, each once; buffers become slots and opaque scalars become launch parameters, both
 * numbered in order of first use, so the same program traced again yields an equal kernel.
 */
final class KernelBuilder {
    private final List<Kernel.Instr> instrs = new ArrayList<>();
    private final Map<Node, Integer> index = new IdentityHashMap<>();
    private final List<Buffer> slots = new ArrayList<>();
    private final Map<Buffer, Integer> slotOf = new IdentityHashMap<>();
    private final List<OpaqueScalar> params = new ArrayList<>();
    private final Map<OpaqueScalar, Integer> paramOf = new IdentityHashMap<>();

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
        List<Integer> operands = new ArrayList<>();
        for (int i = 0; i < n.arity(); i++) {
            if (n.op().isVariadic()) {
                operands.add(index.get(n.arg(i)));
            } else {
                a[i] = index.get(n.arg(i));
            }
        }
        long imm = switch (n.op()) {
            case LITERAL -> n.imm();
            case PARAM -> paramOf.computeIfAbsent((OpaqueScalar) n.ref(), p -> {
                params.add(p);
                return params.size() - 1;
            });
            case EXTRACT -> n.imm();
            case LOAD, GATHER, SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX, MATVEC, OUTER_ADD ->
                    slotOf.computeIfAbsent((Buffer) n.ref(), b -> {
                        slots.add(b);
                        return slots.size() - 1;
                    });
            default -> 0;
        };
        index.put(n, instrs.size());
        instrs.add(new Kernel.Instr(n.op(), n.type(), a[0], a[1], a[2], a[3], imm, operands, n.matrix()));
    }

    Built build() {
        List<DType> slotTypes = slots.stream().map(Buffer::dtype).toList();
        List<DType> paramTypes = params.stream().map(OpaqueScalar::type).toList();
        long[] values = params.stream().mapToLong(OpaqueScalar::bits).toArray();
        return new Built(new Kernel(instrs, slotTypes, paramTypes), slots.toArray(Buffer[]::new), values);
    }
}
