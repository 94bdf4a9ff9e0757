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

    /** y = M x for a 2 x 2 matrix in slot 0, component 1 stored to slot 1. */
    private static Kernel matvec(MatrixAccess m) {
        return new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.CAST, DType.F32, 0, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.MATVEC, DType.F32, NONE, NONE, NONE, NONE, 0, List.of(1, 1), m),
                new Kernel.Instr(Op.EXTRACT, DType.F32, 2, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.LITERAL, DType.BOOL, NONE, NONE, NONE, NONE, 1),
                new Kernel.Instr(Op.PARAM, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.SCATTER, DType.F32, 0, 3, 4, 5, 1)),
                List.of(DType.F32, DType.F32), List.of(DType.I32));
    }

    @Test
    void matrixGeometryIsPartOfTheStructure() {
        MatrixAccess a = new MatrixAccess(2, 2, 0, 2, false);
        assertEquals(matvec(a), matvec(new MatrixAccess(2, 2, 0, 2, false)));
        assertEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 0, 2, false)).hash64());
        assertNotEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 0, 2, true)).hash64());
        assertNotEquals(matvec(a).hash64(), matvec(new MatrixAccess(2, 2, 4, 2, false)).hash64());
        assertTrue(matvec(a).listing().contains("MATVEC.F32 %1 %1 MatrixAccess[rows=2"), matvec(a).listing());
        // list operands belong to variadic ops only, and must name earlier instructions
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0),
                new Kernel.Instr(Op.MATVEC, DType.F32, NONE, NONE, NONE, NONE, 0, List.of(0, 2), a)),
                List.of(DType.F32), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.LANE, DType.I32, NONE, NONE, NONE, NONE, 0, List.of(0), null)),
                List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel(List.of(
                new Kernel.Instr(Op.MATVEC, DType.F32, NONE, NONE, NONE, NONE, 0, List.of(), null)),
                List.of(DType.F32), List.of()));
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
