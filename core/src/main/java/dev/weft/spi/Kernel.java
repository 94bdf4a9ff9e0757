package dev.weft.spi;

import static com.google.common.base.Preconditions.checkArgument;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a backend compiles: one fused kernel over a domain of N lanes (N is given at launch), as a
 * list of SSA instructions in dependency order. This text is what a backend implements; the
 * reference backend ({@code dev.weft.backend.reference}) runs it as written, and the
 * conformance suite holds every backend to it.
 *
 * <h2>Values</h2>
 * Instruction {@code i} computes one value per lane, or a side effect, and may only name
 * instructions before it as operands. A value has a {@link DType type} and a {@link
 * Instr#length() length}: 1 for a scalar, L for a vector of L components per lane (a
 * cooperative vector: the input, hidden state or output of a small network evaluated per
 * lane). The meaning of every op on every scalar type is {@link dev.weft.ir.ScalarOps};
 * F16 never appears in arithmetic (the core widens it), only in memory ops and casts.
 *
 * <p><b>Vectors.</b> The element-wise ops (kinds UNARY, TRANSCENDENTAL, BINARY, COMPARE,
 * TERNARY, CONVERT) apply to a vector component by component, with the same op token as on
 * scalars: component {@code c} of the result is the op on component {@code c} of each operand,
 * where an operand of length 1 stands for every component (a broadcast). So a backend writes
 * each op once and repeats it per component (a GPU holds a vector in a private array or L
 * registers; the CPU backend in L chunk registers). Only these make or take vectors apart:
 * <ul>
 *   <li>{@link Op#LOAD} of length L: the L consecutive elements {@code slot[a + c]};
 *   <li>{@link Op#PACK}: the vector of its {@link Instr#operands() operands} (L scalars);
 *   <li>{@link Op#EXTRACT}: component {@code imm} of vector {@code a}, a scalar;
 *   <li>{@link Op#MATVEC}: {@code y_r = b_r + sum_c M[r][c] x_c} per lane, {@code x} = operand
 *       {@code a} (length {@code matrix.inputLength()}), {@code b} = operand {@code b} (length
 *       {@code matrix.outputLength()}, or 1: one value for every component; a literal 0 when the
 *       product has no bias), {@code M} read from slot {@code imm} as {@link Instr#matrix()
 *       matrix} says (offset, row stride, transposition) and converted to {@code type}, the
 *       accumulation type (F32 or F64). Each output is accumulated in {@code type} with at most
 *       one rounding per term ({@code fma}), in an order the backend chooses (DESIGN.md "Numbers":
 *       within {@code K * eps * sum|terms|} of the exact sum). The result has length {@code
 *       matrix.outputLength()};
 *   <li>{@link Op#OUTER_ADD}: a side effect, {@code slot[offset + i * stride + j] += sum over the
 *       launch's lanes of u_i * v_j} for {@code i < matrix.rows()}, {@code j < matrix.cols()}
 *       ({@code matrix} is never transposed here), {@code u} = operand {@code a}, {@code v} =
 *       operand {@code b} (each of its length or 1). Each element's sum over all lanes of the
 *       launch is formed in {@code type} (F32 or F64, any order), added to the memory value in
 *       {@code type}, and converted to the memory type once (so F16 memory rounds once per
 *       element and launch). The bias gradient is an {@code OUTER_ADD} with {@code v} a literal 1.
 * </ul>
 * Leaves, {@code GATHER} and the {@code SCATTER} ops are scalars; no other op has a vector
 * operand or result.
 *
 * <h2>Operands, by op</h2>
 * <ul>
 *   <li>{@link Op#LITERAL}: the canonical bits {@code imm} (see {@link dev.weft.ir.ScalarOps}).
 *   <li>{@link Op#PARAM}: launch parameter {@code imm} (see "Parameters").
 *   <li>{@link Op#LANE}: the lane index {@code 0 .. N-1} (I32).
 *   <li>{@link Op#LOAD}: {@code slot[a]} from buffer slot {@code imm}; the index is known to be
 *       in range (unchecked), so a backend may read without a bounds check.
 *   <li>{@link Op#GATHER}: the checked read {@code c && 0 <= a < b ? slot[a] : 0} ({@code c}
 *       BOOL, {@code a} and {@code b} I32) from slot {@code imm}: masked or out-of-range lanes
 *       read 0 and never touch memory.
 *   <li>{@code SCATTER, SCATTER_ADD, SCATTER_MIN, SCATTER_MAX}: write value {@code b} into slot
 *       {@code imm} at index {@code a} where mask {@code c} holds and {@code 0 <= a < d}; other
 *       lanes do nothing. {@code type} is the value's (and the buffer's) type; a {@code
 *       SCATTER_ADD} into F16 memory adds in F32 and rounds once per update. Lanes of one
 *       scatter may run in any order; scatters to one buffer in one kernel always commute (adds,
 *       or stores to distinct places); no instruction reads a buffer that a scatter of the same
 *       kernel writes. A {@code SCATTER_ADD/MIN/MAX} whose index {@code a} is a {@code LITERAL}
 *       is a <b>lane reduction</b> (the sum, minimum or maximum of the value over the launch's
 *       unmasked lanes, added to one element): a backend lowers it to per-thread or per-group
 *       partials combined once (F32 for F16 memory), in an order it chooses.
 *   <li>{@link Op#CAST}, {@link Op#BITCAST}: operand {@code a} converted to {@code type}.
 *   <li>{@link Op#SELECT}: {@code a ? b : c} ({@code a} BOOL). {@link Op#FMA}: {@code a * b + c}
 *       rounded once. Other element-wise ops take their operands in {@code a, b}.
 * </ul>
 * Absent operands are {@link #NONE}; only {@link Op#PACK} has {@link Instr#operands() list
 * operands}; only {@link Op#MATVEC} and {@link Op#OUTER_ADD} have a {@link Instr#matrix()}.
 * Side-effect instructions produce no value (their length is 1).
 *
 * <h2>Uniform values</h2>
 * An instruction is <b>uniform</b> ({@link #isUniform(int)}) when its value is the same on every
 * lane: literals, parameters, and every value op whose operands are all uniform (a load at a
 * uniform index, such as a bias vector at a literal offset, and arithmetic on uniform values).
 * {@code LANE} and side effects never are. A backend may compute a uniform value once per launch
 * (or per work-group) and broadcast it, or compute it per lane like any other value: the result
 * is the same.
 *
 * <h2>Parameters and identity</h2>
 * Launch parameters ({@link #params()}, one 64-bit word of canonical bits each, passed to
 * {@link Backend#launch} in one array; a GPU backend passes them in one buffer) carry what
 * changes between launches of one program: opaque scalars of the program (learning rates, Rng
 * counters and keys), lane offsets of the components of {@code [C, N]} tensors and buffer bounds.
 * N itself is the launch's size. Offsets and bounds are deduplicated by value within a kernel, so
 * their count does not grow with the number of layers or tensors; opaque scalars are each their
 * own parameter. Matrix geometry ({@link MatrixAccess}) and literals are part of the kernel's
 * identity: two kernels are {@link #equals equal}, and compile once, when their instructions,
 * slot types and parameter types are, whatever the values of their parameters. (Because
 * offsets are merged by value, two offsets that happen to be equal in one launch and not in
 * another give two kernels; a training loop, whose offsets repeat, compiles nothing after its
 * first step.) The identity's hash is computed once, when the kernel is built.
 */
public final class Kernel {

    /** Marks an absent operand. */
    public static final int NONE = -1;

    /**
     * One instruction.
     *
     * @param op the operation
     * @param type the type of the result, of each component for a vector (of the stored value,
     *     for side effects)
     * @param length 1 for a scalar, L for a vector of L components (1 for side effects)
     * @param a first operand's instruction index, or {@link #NONE}
     * @param b second operand
     * @param c third operand
     * @param d fourth operand
     * @param imm literal bits, parameter index, slot index or component index (see {@link Kernel})
     * @param operands the components of a {@link Op#PACK} (empty otherwise)
     * @param matrix the matrix of a {@link Op#MATVEC} or {@link Op#OUTER_ADD} (null otherwise)
     */
    public record Instr(Op op, DType type, int length, int a, int b, int c, int d, long imm, List<Integer> operands,
                        MatrixAccess matrix) {
        public Instr {
            operands = List.copyOf(operands);
        }

        /** A scalar instruction with fixed operands. */
        public Instr(Op op, DType type, int a, int b, int c, int d, long imm) {
            this(op, type, 1, a, b, c, d, imm, List.of(), null);
        }

        /** An instruction with fixed operands and a result of {@code length} components. */
        public Instr(Op op, DType type, int length, int a, int b, int c, int d, long imm) {
            this(op, type, length, a, b, c, d, imm, List.of(), null);
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

    private static final AtomicLong HASHES = new AtomicLong();

    private final List<Instr> instructions;
    private final List<DType> slots;
    private final List<DType> params;
    private final boolean[] uniform;
    private final long hash64;

    /**
     * A kernel (validated: operands name earlier instructions, vector lengths fit).
     *
     * @param instructions the program, in dependency order
     * @param slots the element type of each buffer argument, by slot
     * @param params the type of each launch parameter, by index
     * @throws IllegalArgumentException naming the first instruction that breaks the format
     */
    public Kernel(List<Instr> instructions, List<DType> slots, List<DType> params) {
        this.instructions = List.copyOf(instructions);
        this.slots = List.copyOf(slots);
        this.params = List.copyOf(params);
        this.uniform = new boolean[this.instructions.size()];
        for (int i = 0; i < uniform.length; i++) {
            Instr in = this.instructions.get(i);
            validate(i, in);
            uniform[i] = uniform(in);
        }
        this.hash64 = computeHash();
    }

    public List<Instr> instructions() {
        return instructions;
    }

    public List<DType> slots() {
        return slots;
    }

    public List<DType> params() {
        return params;
    }

    /** Whether instruction {@code i}'s value is the same on every lane (see the class comment). */
    public boolean isUniform(int i) {
        return uniform[i];
    }

    private void validate(int i, Instr in) {
        Op op = in.op();
        if (op.isVariadic()) {
            checkArgument(in.a() == NONE && in.b() == NONE && in.c() == NONE && in.d() == NONE && in.matrix() == null
                    && in.length() == in.operands().size() && in.length() >= 1,
                    "Kernel: instruction %s (%s) takes exactly its %s components as list operands", i, op, in.length());
            for (int arg : in.operands()) {
                checkArgument(arg >= 0 && arg < i && lengthOf(arg) == 1,
                        "Kernel: instruction %s (%s) names operand %s, not an earlier scalar", i, op, arg);
            }
            return;
        }
        checkArgument(in.operands().isEmpty(), "Kernel: instruction %s (%s) has list operands", i, op);
        boolean matrixOp = op == Op.MATVEC || op == Op.OUTER_ADD;
        checkArgument(matrixOp == (in.matrix() != null), "Kernel: instruction %s (%s) %s a matrix", i, op,
                matrixOp ? "lacks" : "has");
        int arity = op == Op.PARAM || op == Op.LITERAL ? 0 : op.arity();
        for (int k = 0; k < 4; k++) {
            int arg = in.arg(k);
            checkArgument(k < arity ? arg >= 0 && arg < i : arg == NONE,
                    "Kernel: instruction %s (%s) names operand %s = %s", i, op, k, arg);
        }
        checkArgument(in.length() >= 1, "Kernel: instruction %s (%s) has length %s", i, op, in.length());
        switch (op.kind()) {
            case UNARY, TRANSCENDENTAL, BINARY, COMPARE, TERNARY, CONVERT -> {
                for (int k = 0; k < arity; k++) {
                    int len = lengthOf(in.arg(k));
                    checkArgument(len == 1 || len == in.length(), "Kernel: instruction %s (%s, length %s) has an "
                            + "operand of length %s", i, op, in.length(), len);
                }
            }
            case LEAF, SIDE_EFFECT -> checkArgument(in.length() == 1 && (op != Op.OUTER_ADD
                    || fits(in.a(), in.matrix().rows()) && fits(in.b(), in.matrix().cols()) && !in.matrix().transpose()),
                    "Kernel: instruction %s (%s) has vectors that do not fit", i, op);
            case MEMORY -> {
                checkArgument(op == Op.LOAD || in.length() == 1, "Kernel: instruction %s (%s) is a vector", i, op);
                for (int k = 0; k < arity; k++) {
                    checkArgument(lengthOf(in.arg(k)) == 1, "Kernel: instruction %s (%s) has a vector operand", i, op);
                }
            }
            case VECTOR -> checkArgument(op == Op.EXTRACT
                    ? in.length() == 1 && in.imm() >= 0 && in.imm() < lengthOf(in.a())
                    : in.length() == in.matrix().outputLength() && fits(in.a(), in.matrix().inputLength())
                            && fits(in.b(), in.matrix().outputLength()),
                    "Kernel: instruction %s (%s) has vectors that do not fit", i, op);
        }
        if (op.isSideEffect() && op != Op.OUTER_ADD) {
            for (int k = 0; k < 4; k++) {
                checkArgument(lengthOf(in.arg(k)) == 1, "Kernel: instruction %s (%s) has a vector operand", i, op);
            }
        }
    }

    private int lengthOf(int instruction) {
        return instructions.get(instruction).length();
    }

    private boolean fits(int instruction, int length) {
        int len = lengthOf(instruction);
        return len == length || len == 1;
    }

    private boolean uniform(Instr in) {
        Op op = in.op();
        if (op == Op.LITERAL || op == Op.PARAM) {
            return true;
        }
        if (op == Op.LANE || op.isSideEffect()) {
            return false;
        }
        for (int k = 0; k < 4; k++) {
            if (in.arg(k) != NONE && !uniform[in.arg(k)]) {
                return false;
            }
        }
        for (int arg : in.operands()) {
            if (!uniform[arg]) {
                return false;
            }
        }
        return true;
    }

    private long computeHash() {
        long h = mix(0x5EED, slots.size());
        for (DType s : slots) {
            h = mix(h, s.ordinal());
        }
        h = mix(h, params.size());
        for (DType p : params) {
            h = mix(h, p.ordinal());
        }
        for (Instr in : instructions) {
            h = mix(h, (long) in.op().ordinal() << 40 | (long) in.type().ordinal() << 32 | in.length());
            h = mix(h, (long) in.a() << 32 | (in.b() & 0xFFFF_FFFFL));
            h = mix(h, (long) in.c() << 32 | (in.d() & 0xFFFF_FFFFL));
            h = mix(h, in.imm());
            h = mix(h, in.operands().size());
            for (int arg : in.operands()) {
                h = mix(h, arg);
            }
            MatrixAccess m = in.matrix();
            if (m != null) {
                h = mix(h, (long) m.rows() << 32 | m.cols());
                h = mix(h, m.offset());
                h = mix(h, m.stride() << 1 | (m.transpose() ? 1 : 0));
            }
        }
        HASHES.incrementAndGet();
        // final avalanche (MurmurHash3's fmix64)
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }

    private static long mix(long h, long v) {
        return Long.rotateLeft(h ^ v * 0x9E3779B97F4A7C15L, 31) * 0xBF58476D1CE4E5B9L;
    }

    /** Structural hashes computed so far in this JVM (tests check that a lookup does not rehash). */
    static long hashesComputed() {
        return HASHES.get();
    }

    /** A stable 64-bit structural hash (the same across JVM runs), computed once when the kernel is built. */
    public long hash64() {
        return hash64;
    }

    /** The kernel's name in generated code and logs: {@code weft_} and 16 hex digits of {@link #hash64()}. */
    public String name() {
        return String.format("weft_%016x", hash64);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash64);
    }

    /** Equal structure: instructions, slot types and parameter types (compared after the hashes). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Kernel k && k.hash64 == hash64 && k.instructions.equals(instructions)
                && k.slots.equals(slots) && k.params.equals(params);
    }

    @Override
    public String toString() {
        return name() + " (" + instructions.size() + " instructions, " + slots.size() + " slots, " + params.size()
                + " params)";
    }

    /**
     * A readable listing, one instruction per line (printed under {@code weft.debug=2}): {@code
     * %i = OP.TYPE} ({@code xL} for a vector of L), operands, payload, and {@code uniform} where
     * it holds.
     */
    public String listing() {
        StringBuilder sb = new StringBuilder(name()).append(" slots=").append(slots)
                .append(" params=").append(params).append('\n');
        for (int i = 0; i < instructions.size(); i++) {
            Instr in = instructions.get(i);
            sb.append("  %").append(i).append(" = ").append(in.op()).append('.').append(in.type());
            if (in.length() > 1) {
                sb.append('x').append(in.length());
            }
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
            if (uniform[i] && in.op() != Op.LITERAL && in.op() != Op.PARAM) {
                sb.append(" uniform");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
