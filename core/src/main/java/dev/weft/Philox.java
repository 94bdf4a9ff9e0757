package dev.weft;

import dev.weft.ir.Op;

/**
 * The Philox4x32 block function (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2,
 * 3") in the variant of the reference system (reference-semantics.md §6.2), traced from lazy
 * {@link DType#U32} tensor operations, so a block is a few dozen integer instructions inside
 * whatever kernel consumes it.
 *
 * <p>One round maps counter {@code (c0, c1, c2, c3)} and key {@code (k0, k1)} to
 * {@code (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1, lo(M0*c0))}, after which the key
 * is bumped by the Weyl constants. The reference uses 7 rounds; with 10 the function is the
 * Random123 {@code philox4x32_10}, which the tests check against its published answers.
 */
final class Philox {
    /** Rounds of the reference system's generator. */
    static final int ROUNDS = 7;

    static final long M0 = 0xD2511F53L;
    static final long M1 = 0xCD9E8D57L;
    static final long W0 = 0x9E3779B9L;
    static final long W1 = 0xBB67AE85L;
    static final long MASK = 0xFFFF_FFFFL;

    private Philox() {}

    /**
     * The four output words of {@code rounds} rounds on {@code counter} (four U32 tensors that
     * broadcast together) under the key {@code (k0, k1)} (U32 scalars or tensors). Round
     * {@code r} uses the key {@code k + r * W} (mod 2^32), the reference's running sum.
     */
    static Tensor[] block(Tensor[] counter, Tensor k0, Tensor k1, int rounds) {
        if (counter.length != 4 || rounds < 1) {
            throw new AssertionError("Philox.block(): " + counter.length + " counter words, " + rounds + " rounds");
        }
        Tensor c0 = counter[0];
        Tensor c1 = counter[1];
        Tensor c2 = counter[2];
        Tensor c3 = counter[3];
        for (int r = 0; r < rounds; r++) {
            Tensor key0 = r == 0 ? k0 : k0.add((r * W0) & MASK);
            Tensor key1 = r == 0 ? k1 : k1.add((r * W1) & MASK);
            Tensor m0 = c0.value.scalarLike("Philox", M0);
            Tensor m1 = c2.value.scalarLike("Philox", M1);
            Tensor hi0 = mulhi(m0, c0);
            Tensor lo0 = m0.mul(c0);
            Tensor hi1 = mulhi(m1, c2);
            Tensor lo1 = m1.mul(c2);
            c0 = hi1.xor(c1).xor(key0);
            c1 = lo1;
            c2 = hi0.xor(c3).xor(key1);
            c3 = lo0;
        }
        return new Tensor[] {c0, c1, c2, c3};
    }

    /** The high 32 bits of the 64-bit product of two U32 tensors (the low half is {@code mul}). */
    static Tensor mulhi(Tensor a, Tensor b) {
        return Elementwise.binary("Philox mulhi()", Op.MULHI, a, b);
    }
}
