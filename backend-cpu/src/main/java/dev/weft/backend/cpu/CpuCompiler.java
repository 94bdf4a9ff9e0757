package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Turns a {@link Kernel} into a {@link CpuProgram}: allocates chunk registers and picks a
 * {@link Step} per instruction.
 *
 * <p>Registers are reused once their value is dead (linear scan over the instruction list), so
 * a long fused kernel touches a working set of a few dozen chunk arrays rather than one per
 * instruction. Literals and parameters keep their registers for the whole program because they
 * are filled once per launch, not per chunk. An {@code EXTRACT} names a component register of
 * its {@code MATVEC} (no copy), so a {@code MATVEC}'s registers live until its last extract's
 * last use.
 */
final class CpuCompiler {
    private CpuCompiler() {}

    static CpuProgram compile(Kernel kernel) {
        List<Kernel.Instr> code = kernel.instructions();
        int count = code.size();
        DType[] types = new DType[count];
        for (int i = 0; i < count; i++) {
            types[i] = code.get(i).type();
        }
        int[] lastUse = lastUses(code);
        int[] reg = new int[count];
        int[][] components = new int[count][];
        int[] registersPerClass = new int[RegisterClass.values().length];
        @SuppressWarnings("unchecked")
        ArrayDeque<Integer>[] free = new ArrayDeque[RegisterClass.values().length];
        for (int k = 0; k < free.length; k++) {
            free[k] = new ArrayDeque<>();
        }
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            RegisterClass cls = RegisterClass.of(in.type());
            switch (in.op()) {
                case MATVEC -> {
                    components[i] = new int[in.matrix().outputLength()];
                    for (int r = 0; r < components[i].length; r++) {
                        components[i][r] = take(free, registersPerClass, cls);
                    }
                }
                case EXTRACT -> reg[i] = components[in.a()][(int) in.imm()];
                case SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX, OUTER_ADD -> reg[i] = -1;
                // filled once per launch: a register of their own, which no other value ever had
                case LITERAL, PARAM -> reg[i] = registersPerClass[cls.ordinal()]++;
                default -> reg[i] = take(free, registersPerClass, cls);
            }
            // release what dies here (after the result was placed, so results never alias operands)
            for (int operand : operandsOf(in)) {
                release(operand, i, code, lastUse, reg, components, free);
                if (code.get(operand).op() == Op.EXTRACT) {
                    release(code.get(operand).a(), i, code, lastUse, reg, components, free);
                }
            }
            release(i, i, code, lastUse, reg, components, free); // a value nobody reads
        }
        Step[] steps = new Step[count];
        for (int i = 0; i < count; i++) {
            steps[i] = StepFactory.step(i, code, types, reg, components);
        }
        return new CpuProgram(kernel, steps, registersPerClass);
    }

    private static int take(ArrayDeque<Integer>[] free, int[] registersPerClass, RegisterClass cls) {
        Integer r = free[cls.ordinal()].pollFirst();
        return r != null ? r : registersPerClass[cls.ordinal()]++;
    }

    /** Frees the registers of instruction {@code value} if instruction {@code at} is its last use. */
    private static void release(int value, int at, List<Kernel.Instr> code, int[] lastUse, int[] reg, int[][] components,
                                ArrayDeque<Integer>[] free) {
        Kernel.Instr in = code.get(value);
        if (lastUse[value] != at || in.op() == Op.EXTRACT || in.op() == Op.LITERAL || in.op() == Op.PARAM
                || in.op().isSideEffect()) {
            return;
        }
        lastUse[value] = Integer.MAX_VALUE; // released once, even if named twice by one instruction
        ArrayDeque<Integer> pool = free[RegisterClass.of(in.type()).ordinal()];
        if (in.op() == Op.MATVEC) {
            for (int r : components[value]) {
                pool.addFirst(r);
            }
        } else {
            pool.addFirst(reg[value]);
        }
    }

    /** The last instruction that reads each value (its own index if none does); a MATVEC lives as long as its extracts. */
    private static int[] lastUses(List<Kernel.Instr> code) {
        int[] last = new int[code.size()];
        for (int i = 0; i < code.size(); i++) {
            last[i] = i;
            for (int operand : operandsOf(code.get(i))) {
                last[operand] = i;
            }
        }
        for (int i = 0; i < code.size(); i++) {
            Kernel.Instr in = code.get(i);
            if (in.op() == Op.EXTRACT) {
                last[in.a()] = Math.max(last[in.a()], last[i]);
            }
        }
        return last;
    }

    static int[] operandsOf(Kernel.Instr in) {
        if (in.op().isVariadic()) {
            return in.operands().stream().mapToInt(Integer::intValue).toArray();
        }
        int n = 0;
        int[] out = new int[4];
        for (int k = 0; k < 4; k++) {
            if (in.arg(k) != Kernel.NONE) {
                out[n++] = in.arg(k);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
