package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Kernel} by hand, instruction by instruction, for differential tests. */
final class KernelSketch {
    private final List<Kernel.Instr> code = new ArrayList<>();
    private final List<DType> slots = new ArrayList<>();
    private final List<DType> params = new ArrayList<>();

    int slot(DType type) {
        slots.add(type);
        return slots.size() - 1;
    }

    int add(Kernel.Instr in) {
        code.add(in);
        return code.size() - 1;
    }

    int literal(DType type, long bits) {
        return add(new Kernel.Instr(Op.LITERAL, type, -1, -1, -1, -1, bits));
    }

    int i32(int v) {
        return literal(DType.I32, v);
    }

    int yes() {
        return literal(DType.BOOL, 1);
    }

    int param(DType type) {
        params.add(type);
        return add(new Kernel.Instr(Op.PARAM, type, -1, -1, -1, -1, params.size() - 1));
    }

    int lane() {
        return add(new Kernel.Instr(Op.LANE, DType.I32, -1, -1, -1, -1, 0));
    }

    int load(int slot, int index) {
        return add(new Kernel.Instr(Op.LOAD, slots.get(slot), index, -1, -1, -1, slot));
    }

    int gather(int slot, int index, int bound, int mask) {
        return add(new Kernel.Instr(Op.GATHER, slots.get(slot), index, bound, mask, -1, slot));
    }

    int unary(Op op, DType type, int a) {
        return add(new Kernel.Instr(op, type, a, -1, -1, -1, 0));
    }

    int binary(Op op, DType type, int a, int b) {
        return add(new Kernel.Instr(op, type, a, b, -1, -1, 0));
    }

    int ternary(Op op, DType type, int a, int b, int c) {
        return add(new Kernel.Instr(op, type, a, b, c, -1, 0));
    }

    void scatter(Op op, int slot, int index, int value, int mask, int bound) {
        add(new Kernel.Instr(op, slots.get(slot), index, value, mask, bound, slot));
    }

    /** Stores {@code value} to {@code slot} at the lane index (bound: the parameter-free literal {@code n}). */
    void store(int slot, int value, int n) {
        scatter(Op.SCATTER, slot, lane(), value, yes(), i32(n));
    }

    /** The vector of scalar instructions {@code components}. */
    int pack(DType type, List<Integer> components) {
        return add(new Kernel.Instr(Op.PACK, type, components.size(), -1, -1, -1, -1, 0, components, null));
    }

    /** The vector {@code slot[index + c]}, {@code c < length}. */
    int load(int slot, int index, int length) {
        return add(new Kernel.Instr(Op.LOAD, slots.get(slot), length, index, -1, -1, -1, slot));
    }

    int matvec(DType type, int slot, MatrixAccess m, int x, int bias) {
        return add(new Kernel.Instr(Op.MATVEC, type, m.outputLength(), x, bias, -1, -1, slot, List.of(), m));
    }

    int extract(DType type, int vector, int component) {
        return add(new Kernel.Instr(Op.EXTRACT, type, vector, -1, -1, -1, component));
    }

    /** An element-wise op on vectors of {@code length} (operands of that length or 1). */
    int binary(Op op, DType type, int length, int a, int b) {
        return add(new Kernel.Instr(op, type, length, a, b, -1, -1, 0));
    }

    void outerAdd(DType type, int slot, MatrixAccess m, int u, int v) {
        add(new Kernel.Instr(Op.OUTER_ADD, type, 1, u, v, -1, -1, slot, List.of(), m));
    }

    Kernel kernel() {
        return new Kernel(code, slots, params);
    }
}
