package dev.weft.backend.cpu;

import dev.weft.DType;
import dev.weft.ir.Op;
import dev.weft.spi.Kernel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link Kernel} into a {@link CpuProgram}: sorts out what runs once per launch, allocates
 * chunk registers and picks the {@link Step}s.
 *
 * <p><b>Once per launch.</b> A uniform instruction ({@link Kernel#isUniform}) whose operands are
 * computed once per launch too (everything uniform but a {@code MATVEC}, which stays a chunk
 * op) is evaluated on the calling thread before any chunk runs ({@link UniformSteps}), and its
 * value is broadcast into registers of its own, once per launch and worker, if a chunk step
 * reads it. Nothing of it runs per chunk.
 *
 * <p><b>Registers.</b> A value of length L has L registers of its class, one per component; an
 * element-wise vector instruction is its scalar step once per component. Registers are reused
 * once their value is dead (linear scan over the instruction list), so a long fused kernel
 * touches a working set of a few dozen to a few hundred chunk arrays rather than one per value.
 * An {@code EXTRACT} names a component register of its vector (no copy), so the vector's
 * registers live until its extracts' last use.
 */
final class CpuCompiler {
    private CpuCompiler() {}

    static CpuProgram compile(Kernel kernel) {
        List<Kernel.Instr> code = kernel.instructions();
        int count = code.size();
        DType[] types = new DType[count];
        boolean[] once = new boolean[count];
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            types[i] = in.type();
            once[i] = kernel.isUniform(i) && in.op() != Op.MATVEC && operandsAll(in, once);
        }
        MatvecEpilogues epilogues = MatvecEpilogues.find(code, once);
        boolean[] readByChunks = new boolean[count];
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            // an epilogue reads its values computed once per launch from the launch's table
            if (!once[i] && epilogues.host(i) < 0) {
                for (int operand : operandsOf(in)) {
                    // a MATVEC broadcasts a bias computed once per launch itself (CpuCoopVec)
                    readByChunks[operand] |= !(in.op() == Op.MATVEC && operand == in.b() && once[operand]);
                }
            }
        }
        int[] lastUse = lastUses(code, once, epilogues);
        int[][] reg = new int[count][];
        int[] registersPerClass = new int[RegisterClass.values().length];
        @SuppressWarnings("unchecked")
        ArrayDeque<Integer>[] free = new ArrayDeque[RegisterClass.values().length];
        for (int k = 0; k < free.length; k++) {
            free[k] = new ArrayDeque<>();
        }
        for (int i = 0; i < count; i++) {
            Kernel.Instr in = code.get(i);
            RegisterClass cls = RegisterClass.of(in.type());
            if (once[i]) {
                // broadcast once per launch: registers of its own, which no other value ever has
                reg[i] = new int[readByChunks[i] ? in.length() : 0];
                for (int c = 0; c < reg[i].length; c++) {
                    reg[i][c] = registersPerClass[cls.ordinal()]++;
                }
                continue;
            }
            if (epilogues.host(i) >= 0) {
                continue; // placed with the MATVEC that computes it
            }
            // a MATVEC and the readers its step computes are placed together, before any of
            // their operands is released: no result aliases an operand of the group
            int[] group = epilogues.group(i);
            for (int g : group) {
                Kernel.Instr gi = code.get(g);
                if (gi.op() == Op.EXTRACT) {
                    reg[g] = new int[] {reg[gi.a()][(int) gi.imm()]};
                } else if (gi.op().isSideEffect() || (g == i && epilogues.fused(i))) {
                    reg[g] = new int[0]; // a fused product lives only in its step's tiles
                } else {
                    ArrayDeque<Integer> pool = free[RegisterClass.of(gi.type()).ordinal()];
                    reg[g] = new int[gi.length()];
                    for (int c = 0; c < reg[g].length; c++) {
                        Integer r = pool.pollFirst();
                        reg[g][c] = r != null ? r : registersPerClass[RegisterClass.of(gi.type()).ordinal()]++;
                    }
                }
            }
            // release what dies here (after the results were placed, so results never alias operands)
            for (int g : group) {
                for (int operand : operandsOf(code.get(g))) {
                    release(operand, i, code, once, lastUse, reg, free);
                    if (code.get(operand).op() == Op.EXTRACT) {
                        release(code.get(operand).a(), i, code, once, lastUse, reg, free);
                    }
                }
            }
            for (int g : group) {
                release(g, i, code, once, lastUse, reg, free); // a value nobody reads
            }
        }
        List<Step> steps = new ArrayList<>();
        steps.add(UniformSteps.evaluate(code, once));
        for (int i = 0; i < count; i++) {
            if (once[i]) {
                if (reg[i].length > 0) {
                    steps.add(UniformSteps.broadcast(i, types[i], reg[i]));
                }
            } else if (epilogues.host(i) < 0) {
                steps.add(StepFactory.step(i, code, types, reg, once, epilogues));
            }
        }
        return new CpuProgram(kernel, steps.toArray(Step[]::new), registersPerClass, nanosPerLane(code, once));
    }

    /**
     * A rough estimate of the chunk work per lane, for {@link CpuProgram}'s choice to run small
     * launches on the calling thread: about 0.1 ns per component of a chunk op (a 16-lane vector
     * op with its loads and stores), 0.015 ns per multiply-add of a {@code MATVEC} or {@code
     * OUTER_ADD} (register-blocked tiles).
     */
    private static double nanosPerLane(List<Kernel.Instr> code, boolean[] once) {
        double ns = 0;
        for (int i = 0; i < code.size(); i++) {
            Kernel.Instr in = code.get(i);
            if (once[i]) {
                continue;
            }
            ns += in.matrix() != null ? 0.015 * in.matrix().rows() * in.matrix().cols() : 0.1 * in.length();
        }
        return ns;
    }

    private static boolean operandsAll(Kernel.Instr in, boolean[] once) {
        for (int operand : operandsOf(in)) {
            if (!once[operand]) {
                return false;
            }
        }
        return true;
    }

    /** Frees the registers of instruction {@code value} if instruction {@code at} is its last use. */
    private static void release(int value, int at, List<Kernel.Instr> code, boolean[] once, int[] lastUse,
                                int[][] reg, ArrayDeque<Integer>[] free) {
        Kernel.Instr in = code.get(value);
        if (lastUse[value] != at || once[value] || in.op() == Op.EXTRACT || in.op().isSideEffect()) {
            return;
        }
        lastUse[value] = Integer.MAX_VALUE; // released once, even if named twice by one instruction
        ArrayDeque<Integer> pool = free[RegisterClass.of(in.type()).ordinal()];
        for (int r : reg[value]) {
            pool.addFirst(r);
        }
    }

    /**
     * The last chunk instruction that reads each value (its own index if none does; a reader
     * computed in a {@code MATVEC}'s epilogue reads at the {@code MATVEC}); a vector lives as
     * long as its extracts.
     */
    private static int[] lastUses(List<Kernel.Instr> code, boolean[] once, MatvecEpilogues epilogues) {
        int[] last = new int[code.size()];
        for (int i = 0; i < code.size(); i++) {
            int at = epilogues.host(i) >= 0 ? epilogues.host(i) : i; // where its step runs
            last[i] = Math.max(last[i], at);
            if (!once[i]) {
                for (int operand : operandsOf(code.get(i))) {
                    last[operand] = Math.max(last[operand], at);
                }
            }
        }
        for (int i = 0; i < code.size(); i++) {
            Kernel.Instr in = code.get(i);
            if (in.op() == Op.EXTRACT && !once[i]) {
                last[in.a()] = Math.max(last[in.a()], last[i]);
            }
        }
        return last;
    }

    static int[] operandsOf(Kernel.Instr in) {
        if (in.op().isVariadic()) {
            int[] out = new int[in.operands().size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = in.operands().get(k);
            }
            return out;
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
