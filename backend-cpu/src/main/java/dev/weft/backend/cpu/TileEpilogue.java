package dev.weft.backend.cpu;

import dev.weft.ir.ScalarOps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What an F32 {@code MATVEC} step applies to each strip of its output right after the tile that
 * computed it (the strip still in L1), for the readers {@link MatvecEpilogues} fused into it:
 * <ul>
 *   <li>{@link #activation}: {@code mask = y >= c'} (or {@code >}) into BOOL registers when the
 *       comparison is fused, then {@code y = max(y, c)};
 *   <li>{@link #masked}: {@code y = mask ? y : c}.
 * </ul>
 * Each is the same vector operation as the separate step it replaces ({@code FloatSteps}'s
 * {@code MAX}, comparison and {@code SELECT}), so the bits are the same. One instance per worker
 * frame; the scalars are set once per launch by {@link #reset}.
 */
final class TileEpilogue {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FV = F.length();

    private final boolean activation;
    private final byte[][] masks;
    private final boolean greater;
    private final int constant;
    private final int compareConstant;
    private float c;
    private float cmp;

    private TileEpilogue(boolean activation, byte[][] masks, boolean greater, int constant, int compareConstant) {
        this.activation = activation;
        this.masks = masks;
        this.greater = greater;
        this.constant = constant;
        this.compareConstant = compareConstant;
    }

    /**
     * {@code max(y, c)} per row, and {@code masks[r] = y >= c'} ({@code >} with {@code greater})
     * before it when {@code masks} is not null; {@code c}, {@code c'} the launch's uniform values
     * of instructions {@code constant}, {@code compareConstant}.
     */
    static TileEpilogue activation(int constant, byte[][] masks, boolean greater, int compareConstant) {
        return new TileEpilogue(true, masks, greater, constant, compareConstant);
    }

    /** {@code masks[r] ? y : c} per row, {@code c} the launch's uniform value of instruction {@code constant}. */
    static TileEpilogue masked(byte[][] masks, int constant) {
        return new TileEpilogue(false, masks, false, constant, -1);
    }

    /** Reads the scalars of this launch. */
    void reset(Launch launch) {
        c = ScalarOps.asFloat(launch.uniform[constant][0]);
        cmp = compareConstant >= 0 ? ScalarOps.asFloat(launch.uniform[compareConstant][0]) : 0f;
    }

    /** Applies the epilogue to rows {@code r .. r + count - 1} of {@code y} over lanes {@code l .. l + 4 vectors}. */
    void apply(float[][] y, int r, int count, int l) {
        for (int k = r; k < r + count; k++) {
            float[] yk = y[k];
            byte[] mk = masks == null ? null : masks[k];
            if (!activation) {
                masked(yk, mk, l);
            } else if (mk == null) {
                relu(yk, l);
            } else if (greater) {
                reluMaskGt(yk, mk, l);
            } else {
                reluMaskGe(yk, mk, l);
            }
        }
    }

    private void relu(float[] y, int l) {
        FloatVector z = FloatVector.broadcast(F, c);
        for (int v = l; v < l + 4 * FV; v += FV) {
            FloatVector.fromArray(F, y, v).max(z).intoArray(y, v);
        }
    }

    // one method per comparison, its operator a constant: C2 intrinsifies only a constant one
    private void reluMaskGe(float[] y, byte[] m, int l) {
        FloatVector z = FloatVector.broadcast(F, c);
        FloatVector t = FloatVector.broadcast(F, cmp);
        for (int v = l; v < l + 4 * FV; v += FV) {
            FloatVector a = FloatVector.fromArray(F, y, v);
            BoolLanes.store(a.compare(VectorOperators.GE, t), m, v);
            a.max(z).intoArray(y, v);
        }
    }

    private void reluMaskGt(float[] y, byte[] m, int l) {
        FloatVector z = FloatVector.broadcast(F, c);
        FloatVector t = FloatVector.broadcast(F, cmp);
        for (int v = l; v < l + 4 * FV; v += FV) {
            FloatVector a = FloatVector.fromArray(F, y, v);
            BoolLanes.store(a.compare(VectorOperators.GT, t), m, v);
            a.max(z).intoArray(y, v);
        }
    }

    private void masked(float[] y, byte[] m, int l) {
        FloatVector z = FloatVector.broadcast(F, c);
        for (int v = l; v < l + 4 * FV; v += FV) {
            VectorMask<Float> keep = BoolLanes.load(F, m, v);
            z.blend(FloatVector.fromArray(F, y, v), keep).intoArray(y, v);
        }
    }
}
