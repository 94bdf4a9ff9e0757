package dev.weft.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The host's Philox model ({@link HostPhilox}), on which the rng cases' expected values rest:
 * with 10 rounds its block is Random123's {@code philox4x32_10}, whose published known answers
 * it must give (reference-semantics.md §6.2 names the first); its conversions are exact.
 */
class HostPhiloxTest {
    private static final long M = HostPhilox.MASK;

    @Test
    void tenRoundsGiveRandom123KnownAnswers() {
        assertArrayEquals(new long[] {0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L},
                HostPhilox.block(new long[] {0, 0, 0, 0}, 0, 0, 10));
        assertArrayEquals(new long[] {0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL},
                HostPhilox.block(new long[] {M, M, M, M}, M, M, 10));
        assertArrayEquals(new long[] {0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L},
                HostPhilox.block(new long[] {0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L},
                        0xa4093822L, 0x299f31d0L, 10));
    }

    @Test
    void unitConversionsCoverZeroToJustBelowOne() {
        assertEquals(0f, HostPhilox.unitF32(0));
        assertEquals(0f, HostPhilox.unitF32(0x1FF)); // the 9 low bits are dropped
        assertEquals(1f - 0x1p-23f, HostPhilox.unitF32(M));
        assertEquals(0x1p-23f, HostPhilox.unitF32(0x200));
        assertEquals(0.0, HostPhilox.unitF64(0xFFF, 0)); // the 12 low bits of the low word are dropped
        assertEquals(1 - 0x1p-52, HostPhilox.unitF64(M, M));
        assertEquals(0.5, HostPhilox.unitF64(0, 0x8000_0000L));
    }
}
