package dev.weft.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DType;
import dev.weft.ir.MatrixAccess;
import dev.weft.ir.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel format handed to backends: structural identity and validation. */
class KernelTest {
    private static final int NONE = Kernel.NONE;

    /** out[lane] = in[lane] * param0 + literal */
    private static Kernel scaleAndShift(float shift) {
        return new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.LOAD, DType.F32, 0, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.PARAM, DType.F32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.LITERAL, DType.F32, NONE, NONE, NONE, NONE, Float.floatToRawIntBits(shift)),
                new Kernel.Instr(Op.FMA, DType.F32, 1, 2, 3, NONE, 0),
                new Kernel.Instr(Op.LITERAL, DType.BOOL, NONE, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.PARAM, DType.I32, NONE, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.SCATTER, DType.F32, 0, 4, 5, 6, 1)),
                List.of(DType.F32, DType.F32), List.of(DType.F32, DType.I32));
    }

    private static Kernel.Instr vector(Op op, DType type, int length, int a, int b, long imm, MatrixAccess m) {
        return new Kernel.Instr(op, type, length, a, b, NONE, NONE, imm, List.of(), m);
    }

    /** y = M x + 0 for a 2 x 2 matrix in slot 0 and x = (lane, lane), component 1 stored to slot 1. */
    private static Kernel matvec(MatrixAccess m) {
        return new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.CAST, DType.F32, 0, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.PACK, DType.F32, 2, NONE, NONE, NONE, NONE, 0, List.of(1, 1), null),
                new Kernel.Instr(Op.LITERAL, DType.F32, NONE, NONE, NONE, NONE, 0),
                vector(Op.MATVEC, DType.F32, 2, 2, 3, 0, m),
                new Kernel.Instr(Op.EXTRACT, DType.F32, 4, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.LITERAL, DType.BOOL, NONE, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.PARAM, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.SCATTER, DType.F32, 0, 5, 6, 7, 1)),
                List.of(DType.F32, DType.F32), List.of(DType.I32));
    }

    @Test
    void matrixGeometryIsPartOfTheStructure() {
        MatrixAccess a = new MatrixAccess(2, 2, 0, 2, false);
        assertEquals(matvec(a), matvec(new MatrixAccess(2, 2, 0, 2, false)));
        assertEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 0, 2, false)).hash64());
        assertNotEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 0, 2, true)).hash64());
        assertNotEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 4, 2, false)).hash64());
        assertTrue(matvec(a).listing().contains("%4 = MATVEC.F32x2 %2 %3 MatrixAccess[rows=2"), matvec(a).listing());
        assertTrue(matvec(a).listing().contains("%2 = PACK.F32x2 %1 %1\n"), matvec(a).listing());
    }

    @Test
    void listOperandsBelongToPackAndNameEarlierScalars() {
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.PACK, DType.I32, 2, NONE, NONE, NONE, NONE, 0, List.of(0, 2), null)),
                List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, 1, NONE, NONE, NONE, NONE, 0, List.of(0), null)),
                List.of(), List.of()));
        // a PACK's length is its number of components
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.PACK, DType.I32, 3, NONE, NONE, NONE, NONE, 0, List.of(0, 0), null)),
                List.of(), List.of()));
    }

    @Test
    void vectorLengthsMustFit() {
        MatrixAccess m = new MatrixAccess(3, 2, 0, 2, false);
        Kernel.Instr lane = new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0);
        Kernel.Instr x = new Kernel.Instr(Op.LOAD, DType.F32, 2, 0, NONE, NONE, NONE, 0);
        Kernel.Instr y = new Kernel.Instr(Op.LOAD, DType.F32, 3, 0, NONE, NONE, NONE, 0);
        // element-wise: operands of the instruction's length or 1
        new Kernel(List.of(lane, y, new Kernel.Instr(Op.CAST, DType.F32, 0, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.ADD, DType.F32, 3, 1, 2, NONE, NONE, 0)), List.of(DType.F32), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(lane, x, y,
                new Kernel.Instr(Op.ADD, DType.F32, 3, 1, 2, NONE, NONE, 0)), List.of(DType.F32), List.of()));
        assertTrue(e.getMessage().contains("instruction 3 (ADD, length 3) has an operand of length 2"), e.getMessage());
        // MATVEC: input of inputLength, bias of outputLength (or 1), result of outputLength
        new Kernel(List.of(lane, x, y, vector(Op.MATVEC, DType.F32, 3, 1, 2, 0, m)), List.of(DType.F32), List.of());
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(lane, x, y,
                vector(Op.MATVEC, DType.F32, 3, 2, 1, 0, m)), List.of(DType.F32), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(lane, x, y,
                vector(Op.MATVEC, DType.F32, 2, 1, 2, 0, m)), List.of(DType.F32), List.of()));
        // EXTRACT inside the vector; scatters and gathers take scalars
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(lane, x,
                new Kernel.Instr(Op.EXTRACT, DType.F32, 1, NONE, NONE, NONE, 2)), List.of(DType.F32), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(lane, x,
                new Kernel.Instr(Op.LITERAL, DType.BOOL, NONE, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.SCATTER, DType.F32, 0, 1, 2, 0, 0)), List.of(DType.F32), List.of()));
    }

    @Test
    void uniformValuesAreThoseOfLiteralsParametersAndUniformOperands() {
        Kernel k = new Kernel(List.of(
                new Kernel.Instr(Op.LITERAL, DType.I32, NONE, NONE, NONE, NONE, 4),       // 0 uniform
                new Kernel.Instr(Op.LOAD, DType.F32, 3, 0, NONE, NONE, NONE, 0),          // 1 uniform: index 0
                new Kernel.Instr(Op.PARAM, DType.F32, NONE, NONE, NONE, NONE, 0),         // 2 uniform
                new Kernel.Instr(Op.MUL, DType.F32, 3, 1, 2, NONE, NONE, 0),              // 3 uniform
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),          // 4 per lane
                new Kernel.Instr(Op.LOAD, DType.F32, 3, 4, NONE, NONE, NONE, 0),          // 5 per lane
                new Kernel.Instr(Op.ADD, DType.F32, 3, 3, 5, NONE, NONE, 0),              // 6 per lane
                new Kernel.Instr(Op.EXTRACT, DType.F32, 3, NONE, NONE, NONE, 1),          // 7 uniform
                new Kernel.Instr(Op.LITERAL, DType.BOOL, NONE, NONE, NONE, NONE, 1),      // 8 uniform
                new Kernel.Instr(Op.SCATTER_ADD, DType.F32, 0, 7, 8, 0, 1)),              // 9 a side effect: never
                List.of(DType.F32, DType.F32), List.of(DType.F32));
        boolean[] expected = {true, true, true, true, false, false, false, true, true, false};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], k.isUniform(i), "instruction " + i);
        }
        assertTrue(k.listing().contains("%3 = MUL.F32x3 %1 %2 uniform\n"), k.listing());
        assertTrue(k.listing().contains("%6 = ADD.F32x3 %3 %5\n"), k.listing());
    }

    @Test
    void theHashIsComputedOnceWhenTheKernelIsBuilt() {
        Kernel k = scaleAndShift(1f);
        Kernel same = scaleAndShift(1f);
        long before = Kernel.hashesComputed();
        java.util.Map<Kernel, String> cache = new java.util.HashMap<>();
        cache.put(k, "program");
        for (int i = 0; i < 10; i++) {
            assertEquals("program", cache.get(same));
            assertEquals(k.hash64(), same.hash64());
            assertTrue(same.name().startsWith("weft_"));
        }
        assertEquals(before, Kernel.hashesComputed(), "lookups, names and hashes reuse the hash of the build");
    }

    @Test
    void equalStructureMeansEqualKernelsAndHash() {
        assertEquals(scaleAndShift(1f), scaleAndShift(1f));
        assertEquals(scaleAndShift(1f).hash64(), scaleAndShift(1f).hash64());
        assertTrue(scaleAndShift(1f).name().matches("weft_[0-9a-f]{16}"));
    }

    @Test
    void literalsArePartOfTheStructure() {
        assertNotEquals(scaleAndShift(1f), scaleAndShift(2f));
        assertNotEquals(scaleAndShift(1f).hash64(), scaleAndShift(2f).hash64());
    }

    @Test
    void operandMustComeBeforeItsUser() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.NEG, DType.F32, 0, NONE, NONE, NONE, 0)), List.of(), List.of()));
        assertTrue(e.getMessage().contains("NEG"), e.getMessage());
    }

    @Test
    void listingShowsEveryInstruction() {
        String listing = scaleAndShift(1f).listing();
        assertEquals(9, listing.lines().count(), listing);
        assertTrue(listing.contains("%4 = FMA.F32 %1 %2 %3"), listing);
    }
}
