package dev.weft.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small interpreter of the PTX subset that Weft's hand-made kernels use, so their text (not a
 * model of it) can be run without a GPU. It follows the PTX ISA's meaning of each instruction it
 * knows and refuses any other; blocks run thread by thread up to each {@code bar.sync} (a barrier
 * that some threads skip is an error), global memory is a set of allocations whose every access
 * is bounds-checked (an access outside them is an illegal address, as on a device), and shared
 * memory starts as all-ones bytes (NaN), so that a read of a slot no thread wrote shows up.
 *
 * <p>Known: {@code ld/st} (param, global, shared), {@code mov}, {@code cvta.to.global},
 * {@code add/mul.lo/mad.lo/mad.wide} on u32/u64, {@code and}, {@code shl}, {@code shr},
 * {@code cvt} between u32 and u64 and between f16 and f32 (round to nearest even),
 * {@code setp} (eq, ge, lt; with {@code .and}), {@code fma.rn} f32/f64, {@code bra},
 * {@code bar.sync}, {@code ret}, guards {@code @%p}.
 */
final class PtxInterpreter {
    /** Device memory: allocations at fake addresses, little-endian, bounds-checked. */
    static final class Memory {
        private final Map<Long, ByteBuffer> allocations = new HashMap<>();
        private long next = 0x7000_0000_0000L;

        long allocate(byte[] contents) {
            long base = next;
            next += (contents.length + 0xFFFFL) & ~0xFFFFL;
            next += 0x10000; // a gap, so that running off one allocation never lands in the next
            allocations.put(base, ByteBuffer.wrap(contents.clone()).order(ByteOrder.LITTLE_ENDIAN));
            return base;
        }

        byte[] contents(long base) {
            return allocations.get(base).array().clone();
        }

        private ByteBuffer at(long address, int size, long[] offset) {
            for (Map.Entry<Long, ByteBuffer> e : allocations.entrySet()) {
                long o = address - e.getKey();
                if (o >= 0 && o + size <= e.getValue().capacity()) {
                    offset[0] = o;
                    return e.getValue();
                }
            }
            throw new IllegalStateException(String.format("illegal address: %d bytes at 0x%x", size, address));
        }

        long read(long address, int size) {
            long[] o = new long[1];
            return get(at(address, size, o), (int) o[0], size);
        }

        void write(long address, int size, long value) {
            long[] o = new long[1];
            put(at(address, size, o), (int) o[0], size, value);
        }
    }

    /** One parsed entry. */
    record Entry(String name, int paramBytes, Map<String, Integer> registers, Map<String, Integer> shared,
                 int sharedBytes, List<Instruction> code) {}

    private enum Kind { REG, IMM, SPECIAL, SYMBOL, MEM, LABEL }

    private record Operand(Kind kind, int reg, long value, String name) {}

    private record Instruction(String line, int guard, boolean negated, String base, String[] mods, Operand[] args) {}

    private static final Pattern REG_LIST = Pattern.compile("\\s*\\.reg\\s+\\.(\\w+)\\s+(.*);");
    private static final Pattern SHARED = Pattern.compile("\\s*\\.shared\\s+\\.align\\s+(\\d+)\\s+\\.b8\\s+(\\w+)\\[(\\d+)];");
    private static final Pattern ENTRY = Pattern.compile(
            "\\.visible\\s+\\.entry\\s+(\\w+)\\(\\.param\\s+\\.align\\s+8\\s+\\.b8\\s+weft_args\\[(\\d+)]\\).*");

    private PtxInterpreter() {}

    /** The entries of a module (its header is skipped). */
    static Map<String, Entry> parse(String ptx) {
        Map<String, Entry> entries = new HashMap<>();
        String[] lines = ptx.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher e = ENTRY.matcher(lines[i].strip());
            if (!e.matches()) {
                continue;
            }
            Map<String, Integer> regs = new HashMap<>();
            Map<String, Integer> shared = new HashMap<>();
            Map<String, Integer> labels = new HashMap<>();
            List<String> body = new ArrayList<>();
            int sharedBytes = 0;
            int j = i + 1;
            if (!lines[j].strip().equals("{")) {
                throw new IllegalArgumentException("expected { after " + lines[i]);
            }
            for (j++; !lines[j].strip().equals("}"); j++) {
                String l = lines[j].strip();
                Matcher r = REG_LIST.matcher(l);
                Matcher s = SHARED.matcher(l);
                if (r.matches()) {
                    for (String name : r.group(2).split(",")) {
                        name = name.strip();
                        int lt = name.indexOf('<');
                        if (lt < 0) {
                            regs.put(name, regs.size());
                        } else {
                            int count = Integer.parseInt(name.substring(lt + 1, name.length() - 1));
                            for (int k = 0; k < count; k++) {
                                regs.put(name.substring(0, lt) + k, regs.size());
                            }
                        }
                    }
                } else if (s.matches()) {
                    int align = Integer.parseInt(s.group(1));
                    sharedBytes = (sharedBytes + align - 1) / align * align;
                    shared.put(s.group(2), sharedBytes);
                    sharedBytes += Integer.parseInt(s.group(3));
                } else if (l.endsWith(":")) {
                    labels.put(l.substring(0, l.length() - 1), body.size());
                } else if (!l.isEmpty() && !l.startsWith("//")) {
                    body.add(l);
                }
            }
            List<Instruction> code = new ArrayList<>();
            for (String l : body) {
                code.add(instruction(l, regs, shared, labels));
            }
            entries.put(e.group(1), new Entry(e.group(1), Integer.parseInt(e.group(2)), regs, shared, sharedBytes, code));
            i = j;
        }
        return entries;
    }

    private static Instruction instruction(String line, Map<String, Integer> regs, Map<String, Integer> shared,
                                           Map<String, Integer> labels) {
        String l = line.endsWith(";") ? line.substring(0, line.length() - 1) : line;
        int guard = -1;
        boolean negated = false;
        if (l.startsWith("@")) {
            int sp = l.indexOf(' ');
            String g = l.substring(1, sp);
            negated = g.startsWith("!");
            guard = register(negated ? g.substring(1) : g, regs, line);
            l = l.substring(sp + 1).strip();
        }
        int sp = l.indexOf(' ');
        String opcode = sp < 0 ? l : l.substring(0, sp);
        String[] parts = opcode.split("\\.");
        String[] mods = new String[parts.length - 1];
        System.arraycopy(parts, 1, mods, 0, mods.length);
        List<Operand> args = new ArrayList<>();
        if (sp >= 0) {
            for (String a : l.substring(sp + 1).split(",")) {
                args.add(operand(a.strip(), regs, shared, labels, line));
            }
        }
        return new Instruction(line, guard, negated, parts[0], mods, args.toArray(Operand[]::new));
    }

    private static Operand operand(String a, Map<String, Integer> regs, Map<String, Integer> shared,
                                   Map<String, Integer> labels, String line) {
        if (a.startsWith("[")) {
            String inner = a.substring(1, a.length() - 1);
            int plus = inner.indexOf('+');
            String base = plus < 0 ? inner : inner.substring(0, plus);
            long offset = plus < 0 ? 0 : Long.parseLong(inner.substring(plus + 1));
            if (base.startsWith("%")) {
                return new Operand(Kind.MEM, register(base, regs, line), offset, null);
            }
            return new Operand(Kind.MEM, -1, offset, base); // the parameter block or a shared variable
        }
        if (a.startsWith("%tid.") || a.startsWith("%ntid.") || a.startsWith("%ctaid.") || a.startsWith("%nctaid.")) {
            return new Operand(Kind.SPECIAL, -1, 0, a);
        }
        if (a.startsWith("%")) {
            return new Operand(Kind.REG, register(a, regs, line), 0, null);
        }
        if (a.startsWith("0f")) {
            return new Operand(Kind.IMM, -1, Long.parseLong(a.substring(2), 16), null);
        }
        if (a.startsWith("0d")) {
            return new Operand(Kind.IMM, -1, Long.parseUnsignedLong(a.substring(2), 16), null);
        }
        if (labels.containsKey(a)) {
            return new Operand(Kind.LABEL, -1, labels.get(a), null);
        }
        if (shared.containsKey(a)) {
            return new Operand(Kind.SYMBOL, -1, shared.get(a), null);
        }
        try {
            return new Operand(Kind.IMM, -1, Long.parseLong(a), null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown operand '" + a + "' in: " + line);
        }
    }

    private static int register(String name, Map<String, Integer> regs, String line) {
        Integer r = regs.get(name);
        if (r == null) {
            throw new IllegalArgumentException("undeclared register " + name + " in: " + line);
        }
        return r;
    }

    /** Runs a grid of blocks of {@code block} threads, one block after another. */
    static void run(Entry entry, int gridX, int gridY, int gridZ, int block, byte[] params, Memory global) {
        if (params.length != entry.paramBytes()) {
            throw new IllegalArgumentException(entry.name() + " takes " + entry.paramBytes() + " parameter bytes, got "
                    + params.length);
        }
        ByteBuffer param = ByteBuffer.wrap(params).order(ByteOrder.LITTLE_ENDIAN);
        for (int z = 0; z < gridZ; z++) {
            for (int y = 0; y < gridY; y++) {
                for (int x = 0; x < gridX; x++) {
                    runBlock(entry, new int[] {x, y, z}, new int[] {gridX, gridY, gridZ}, block, param, global);
                }
            }
        }
    }

    private static void runBlock(Entry entry, int[] ctaid, int[] nctaid, int block, ByteBuffer param, Memory global) {
        byte[] sharedBytes = new byte[Math.max(1, entry.sharedBytes())];
        java.util.Arrays.fill(sharedBytes, (byte) 0xFF);
        ByteBuffer shared = ByteBuffer.wrap(sharedBytes).order(ByteOrder.LITTLE_ENDIAN);
        long[][] regs = new long[block][entry.registers().size()];
        int[] pc = new int[block];
        boolean[] done = new boolean[block];
        int finished = 0;
        while (finished < block) {
            int waiting = 0;
            for (int t = 0; t < block; t++) {
                if (!done[t]) {
                    Thread state = new Thread(t, ctaid, nctaid, block, regs[t]);
                    int next = step(entry, state, pc[t], param, shared, global);
                    if (next < 0) {
                        done[t] = true;
                        finished++;
                    } else {
                        pc[t] = next;
                        waiting++;
                    }
                }
            }
            if (waiting > 0 && finished > 0) {
                throw new IllegalStateException(entry.name() + ": " + finished + " threads returned while " + waiting
                        + " wait at a barrier");
            }
        }
    }

    private record Thread(int tid, int[] ctaid, int[] nctaid, int ntid, long[] r) {}

    /** Runs one thread from {@code pc} to the next barrier (returns the pc after it) or to its end (-1). */
    private static int step(Entry entry, Thread th, int pc, ByteBuffer param, ByteBuffer shared, Memory global) {
        List<Instruction> code = entry.code();
        while (pc < code.size()) {
            Instruction in = code.get(pc++);
            if (in.guard() >= 0 && (th.r()[in.guard()] != 0) == in.negated()) {
                continue;
            }
            Operand[] a = in.args();
            String type = in.mods().length == 0 ? "" : in.mods()[in.mods().length - 1];
            switch (in.base()) {
                case "ret" -> {
                    return -1;
                }
                case "bar" -> {
                    return pc;
                }
                case "bra" -> pc = (int) a[0].value();
                case "ld" -> {
                    Operand m = a[1];
                    int size = bytes(type);
                    long value = switch (in.mods()[0]) {
                        case "param" -> get(param, (int) m.value(), size);
                        case "global" -> global.read(th.r()[m.reg()] + m.value(), size);
                        case "shared" -> get(shared, (int) (address(th, m, entry) + m.value()), size);
                        default -> throw unsupported(in);
                    };
                    set(th, a[0], value, type);
                }
                case "st" -> {
                    Operand m = a[0];
                    int size = bytes(type);
                    long value = value(th, a[1]);
                    switch (in.mods()[0]) {
                        case "global" -> global.write(th.r()[m.reg()] + m.value(), size, value);
                        case "shared" -> put(shared, (int) (address(th, m, entry) + m.value()), size, value);
                        default -> throw unsupported(in);
                    }
                }
                case "mov" -> set(th, a[0], value(th, a[1]), type);
                case "cvta" -> set(th, a[0], value(th, a[1]), type);
                case "add" -> set(th, a[0], value(th, a[1]) + value(th, a[2]), type);
                case "and" -> set(th, a[0], value(th, a[1]) & value(th, a[2]), type);
                case "shl" -> set(th, a[0], value(th, a[1]) << value(th, a[2]), type);
                case "shr" -> {
                    require(type.equals("u32"), in);
                    set(th, a[0], (value(th, a[1]) & 0xFFFF_FFFFL) >>> value(th, a[2]), type);
                }
                case "mul" -> {
                    require(in.mods()[0].equals("lo"), in);
                    set(th, a[0], value(th, a[1]) * value(th, a[2]), type);
                }
                case "mad" -> {
                    if (in.mods()[0].equals("wide")) {
                        require(type.equals("u32"), in);
                        long p = (value(th, a[1]) & 0xFFFF_FFFFL) * (value(th, a[2]) & 0xFFFF_FFFFL);
                        set(th, a[0], p + value(th, a[3]), "u64");
                    } else {
                        require(in.mods()[0].equals("lo"), in);
                        set(th, a[0], value(th, a[1]) * value(th, a[2]) + value(th, a[3]), type);
                    }
                }
                case "cvt" -> cvt(th, in);
                case "setp" -> setp(th, in);
                case "fma" -> {
                    require(in.mods()[0].equals("rn"), in);
                    if (type.equals("f32")) {
                        float r = Math.fma(f32(th, a[1]), f32(th, a[2]), f32(th, a[3]));
                        set(th, a[0], Float.floatToRawIntBits(r), type);
                    } else {
                        require(type.equals("f64"), in);
                        double r = Math.fma(f64(th, a[1]), f64(th, a[2]), f64(th, a[3]));
                        set(th, a[0], Double.doubleToRawLongBits(r), type);
                    }
                }
                default -> throw unsupported(in);
            }
        }
        throw new IllegalStateException(entry.name() + " runs past its last instruction without ret");
    }

    private static void cvt(Thread th, Instruction in) {
        String[] m = in.mods();
        Operand[] a = in.args();
        String to = m[m.length - 2];
        String from = m[m.length - 1];
        long v = value(th, a[1]);
        long out = switch (to + "<-" + from) {
            case "u64<-u32" -> v & 0xFFFF_FFFFL;
            case "u32<-u64" -> v & 0xFFFF_FFFFL;
            case "f32<-f16" -> Float.floatToRawIntBits(Float.float16ToFloat((short) v));
            case "f16<-f32" -> {
                require(m[0].equals("rn"), in);
                yield Float.floatToFloat16(Float.intBitsToFloat((int) v)) & 0xFFFFL;
            }
            default -> throw unsupported(in);
        };
        set(th, a[0], out, to.equals("f16") ? "b16" : to);
    }

    private static void setp(Thread th, Instruction in) {
        String[] m = in.mods();
        Operand[] a = in.args();
        String type = m[m.length - 1];
        require(type.equals("u64") || type.equals("u32"), in);
        long mask = type.equals("u32") ? 0xFFFF_FFFFL : -1L;
        long x = value(th, a[1]) & mask;
        long y = value(th, a[2]) & mask;
        boolean r = switch (m[0]) {
            case "lt" -> Long.compareUnsigned(x, y) < 0;
            case "ge" -> Long.compareUnsigned(x, y) >= 0;
            case "eq" -> x == y;
            default -> throw unsupported(in);
        };
        if (m.length == 3) {
            require(m[1].equals("and"), in);
            r &= value(th, a[3]) != 0;
        }
        th.r()[a[0].reg()] = r ? 1 : 0;
    }

    private static long address(Thread th, Operand m, Entry entry) {
        if (m.reg() >= 0) {
            return th.r()[m.reg()] & 0xFFFF_FFFFL;
        }
        Integer offset = entry.shared().get(m.name());
        if (offset == null) {
            throw new IllegalArgumentException("unknown shared variable " + m.name());
        }
        return offset;
    }

    private static long value(Thread th, Operand o) {
        return switch (o.kind()) {
            case REG -> th.r()[o.reg()];
            case IMM, SYMBOL -> o.value();
            case SPECIAL -> switch (o.name()) {
                case "%tid.x" -> th.tid();
                case "%ntid.x" -> th.ntid();
                case "%ctaid.x" -> th.ctaid()[0];
                case "%ctaid.y" -> th.ctaid()[1];
                case "%ctaid.z" -> th.ctaid()[2];
                case "%nctaid.x" -> th.nctaid()[0];
                default -> throw new IllegalArgumentException("unsupported special register " + o.name());
            };
            default -> throw new IllegalArgumentException("not a value: " + o);
        };
    }

    private static float f32(Thread th, Operand o) {
        return Float.intBitsToFloat((int) value(th, o));
    }

    private static double f64(Thread th, Operand o) {
        return Double.longBitsToDouble(value(th, o));
    }

    /** Writes a register, keeping the bits the type has. */
    private static void set(Thread th, Operand dst, long v, String type) {
        th.r()[dst.reg()] = switch (type) {
            case "b16", "f16" -> v & 0xFFFFL;
            case "u32", "b32", "s32", "f32" -> v & 0xFFFF_FFFFL;
            case "pred" -> v != 0 ? 1 : 0;
            default -> v;
        };
    }

    private static int bytes(String type) {
        return switch (type) {
            case "b16", "f16", "u16" -> 2;
            case "u32", "b32", "s32", "f32" -> 4;
            case "u64", "b64", "s64", "f64" -> 8;
            default -> throw new IllegalArgumentException("unsupported memory type " + type);
        };
    }

    static long get(ByteBuffer b, int offset, int size) {
        return switch (size) {
            case 2 -> b.getShort(offset) & 0xFFFFL;
            case 4 -> b.getInt(offset) & 0xFFFF_FFFFL;
            default -> b.getLong(offset);
        };
    }

    static void put(ByteBuffer b, int offset, int size, long v) {
        switch (size) {
            case 2 -> b.putShort(offset, (short) v);
            case 4 -> b.putInt(offset, (int) v);
            default -> b.putLong(offset, v);
        }
    }

    private static void require(boolean ok, Instruction in) {
        if (!ok) {
            throw unsupported(in);
        }
    }

    private static IllegalArgumentException unsupported(Instruction in) {
        return new IllegalArgumentException("the interpreter does not know: " + in.line());
    }
}
