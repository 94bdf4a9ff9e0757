package dev.weft.spi;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import java.util.List;

/**
 * What a backend compiles: one fused kernel over a domain of N lanes, as a list of SSA
 * instructions in dependency order. Everything that changes from step to step (N, buffer
 * offsets and bounds, opaque scalars) is a launch parameter, so two kernels that differ only in
 * those are {@link #equals equal} and compile once.
 *
 * <p>Instruction {@code i} may only name instructions before it. Reading the operands of an
 * instruction: {@link Op#LOAD} reads slot {@code imm} at index {@code a}; {@link Op#GATHER}
 * reads slot {@code imm} at {@code a} if {@code c} (a BOOL) holds and {@code 0 <= a < b}, else
 * gives 0; the {@code SCATTER*} ops write value {@code b} to slot {@code imm} at index {@code a}
 * where mask {@code c} holds and {@code 0 <= a < d}; {@link Op#PARAM} is launch parameter
 * {@code imm}; {@link Op#LITERAL} has the canonical bits {@code imm}; {@link Op#CAST} and
 * {@link Op#BITCAST} convert operand {@code a} to {@code type}. Every other op takes its operands
 * in {@code a, b, c}. Side-effect instructions produce no value.
 *
 * <p>The meaning of every op on every type is {@link dev.weft.ir.ScalarOps}, which the reference
 * backend runs as it is; the conformance suite holds other backends to it. Beyond it: F16 never
 * appears in arithmetic (the core widens it), only in memory ops and casts; a {@code
 * SCATTER_ADD} into F16 memory adds in F32 and rounds once; lanes of one scatter may run in any
 * order, and scatters to one buffer in one kernel always commute (adds, or stores to distinct
 * places); no instruction reads a buffer that a scatter of the same kernel writes. A lane
 * reduction is a {@code SCATTER_ADD}/{@code MIN}/{@code MAX} whose index is a literal, which a
 * backend may lower to a block reduction.
 *
 * @param instructions the program, in dependency order
 * @param slots the element type of each buffer argument, by slot
 * @param params the type of each launch parameter, by index
 */
public record Kernel(List<Instr> instructions, List<DType> slots, List<DType> params) {

    /** Marks an absent operand. */
    public static final int NONE = -1;

    /**
     * One instruction.
     *
     * @param op the operation
     * @param type the type of the result (of the stored value, for side effects)
     * @param a first operand's instruction index, or {@link #NONE}
     * @param b second operand
     * @param c third operand
     * @param d fourth operand
     * @param imm literal bits, parameter index, slot index or component index (see {@link Kernel})
     * @param operands the operands of a variadic op (empty otherwise)
     * @param matrix the matrix of a variadic op (null otherwise)
     */
    public record Instr(Op op, DType type, int a, int b, int c, int d, long imm, List<Integer> operands,
                        MatrixAccess matrix) {
        public Instr {
            operands = List.copyOf(operands);
        }

        /** An instruction with fixed operands. */
        public Instr(Op op, DType type, int a, int b, int c, int d, long imm) {
            this(op, type, a, b, c, d, imm, List.of(), null);
        }

        /** Operand {@code i} (0..3). */
        public int arg(int i) {
            return switch (i) {
                case 0 -> a;
                case 1 -> b;
                case 2 -> c;
                case 3 -> d;
                default -> throw new IndexOutOfBoundsException("operand " + i + " of " + op);
            };
        }
    }

    public Kernel {
        instructions = List.copyOf(instructions);
        slots = List.copyOf(slots);
        params = List.copyOf(params);
        for (int i = 0; i < instructions.size(); i++) {
            Instr in = instructions.get(i);
            if (in.op().isVariadic()) {
                checkArgument(in.matrix() != null && in.a() == NONE && in.b() == NONE && in.c() == NONE
                        && in.d() == NONE, "Kernel: instruction %s (%s) needs a matrix and only list operands", i, in.op());
                for (int arg : in.operands()) {
                    checkArgument(arg >= 0 && arg < i, "Kernel: instruction %s (%s) names operand %s", i, in.op(), arg);
                }
                continue;
            }
            checkArgument(in.operands().isEmpty() && in.matrix() == null,
                    "Kernel: instruction %s (%s) has list operands or a matrix", i, in.op());
            int arity = in.op() == Op.PARAM || in.op() == Op.LITERAL ? 0 : in.op().arity();
            for (int k = 0; k < 4; k++) {
                int arg = in.arg(k);
                checkArgument(k < arity ? arg >= 0 && arg < i : arg == NONE,
                        "Kernel: instruction %s (%s) names operand %s = %s", i, in.op(), k, arg);
            }
        }
    }

    /** A stable 64-bit structural hash (the same across JVM runs), for names and caches. */
    public long hash64() {
        Hasher h = Hashing.murmur3_128().newHasher();
        for (DType s : slots) {
            h.putInt(s.ordinal());
        }
        h.putInt(-1);
        for (DType p : params) {
            h.putInt(p.ordinal());
        }
        h.putInt(-1);
        for (Instr in : instructions) {
            h.putInt(in.op().ordinal()).putInt(in.type().ordinal())
                    .putInt(in.a()).putInt(in.b()).putInt(in.c()).putInt(in.d()).putLong(in.imm());
            h.putInt(in.operands().size());
            for (int arg : in.operands()) {
                h.putInt(arg);
            }
            MatrixAccess m = in.matrix();
            if (m != null) {
                h.putInt(m.rows()).putInt(m.cols()).putLong(m.offset()).putLong(m.stride()).putBoolean(m.transpose());
            }
        }
        return h.hash().asLong();
    }

    /** The kernel's name in generated code and logs: {@code weft_} and 16 hex digits of {@link #hash64()}. */
    public String name() {
        return String.format("weft_%016x", hash64());
    }

    /** A readable listing, one instruction per line (printed under {@code weft.debug=2}). */
    public String listing() {
        StringBuilder sb = new StringBuilder(name()).append(" slots=").append(slots)
                .append(" params=").append(params).append('\n');
        for (int i = 0; i < instructions.size(); i++) {
            Instr in = instructions.get(i);
            sb.append(String.format("  %%%d = %s.%s", i, in.op(), in.type()));
            for (int k = 0; k < 4; k++) {
                if (in.arg(k) != NONE) {
                    sb.append(" %").append(in.arg(k));
                }
            }
            for (int arg : in.operands()) {
                sb.append(" %").append(arg);
            }
            if (in.matrix() != null) {
                sb.append(" ").append(in.matrix());
            }
            switch (in.op()) {
                case LITERAL -> sb.append(" #").append(Long.toHexString(in.imm()));
                case PARAM -> sb.append(" param").append(in.imm());
                case LOAD, GATHER, SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX, MATVEC, OUTER_ADD ->
                        sb.append(" slot").append(in.imm());
                case EXTRACT -> sb.append(" #").append(in.imm());
                default -> { }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
