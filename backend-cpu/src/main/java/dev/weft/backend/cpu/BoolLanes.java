package dev.weft.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * BOOL registers (one byte per lane, 0 or 1) to and from vector masks, so that comparisons and
 * selects run as vector code instead of per-lane branches (8x faster for a select of 512 F32
 * lanes on AVX-512). It needs a byte species with as many lanes as the F32 one (128 bits for 16
 * lanes, 64 for 8); where none exists (4 F32 lanes), {@link #FLOAT} is null and the steps keep
 * their plain loops.
 */
final class BoolLanes {
    private BoolLanes() {}

    /** Bytes for one vector of F32 lanes, or null. */
    static final VectorSpecies<Byte> FLOAT = bytesFor(FloatVector.SPECIES_PREFERRED.length());

    private static final ByteVector FALSE = FLOAT == null ? null : ByteVector.zero(FLOAT);

    private static VectorSpecies<Byte> bytesFor(int lanes) {
        int bits = lanes * Byte.SIZE;
        if (bits < 64 || bits > VectorShape.preferredShape().vectorBitSize()) {
            return null;
        }
        return VectorSpecies.of(byte.class, VectorShape.forBitSize(bits));
    }

    /** {@code mask} as bytes 0 and 1 at {@code y[l..]}. */
    static void store(VectorMask<Float> mask, byte[] y, int l) {
        FALSE.blend((byte) 1, mask.cast(FLOAT)).intoArray(y, l);
    }

    /** The lanes of {@code m[l..]} that are not 0, as a mask of {@code species}. */
    static VectorMask<Float> load(VectorSpecies<Float> species, byte[] m, int l) {
        return ByteVector.fromArray(FLOAT, m, l).compare(VectorOperators.NE, (byte) 0).cast(species);
    }
}
