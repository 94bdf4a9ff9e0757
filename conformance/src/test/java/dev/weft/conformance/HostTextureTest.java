package dev.weft.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Texture2.WrapMode;
import org.junit.jupiter.api.Test;

/**
 * The host's texture model ({@link HostTexture}), on which the texture cases' expected values
 * rest, against reference-semantics.md §7's own examples of the wrap rules.
 */
class HostTextureTest {

    @Test
    void mirrorRepeatsTheEdgeTexel() {
        // §7: -1 -> 0, -2 -> 1, r -> r - 1, r + 1 -> r - 2; the period is 2r
        int r = 5;
        assertEquals(0, HostTexture.wrap(WrapMode.MIRROR, -1, r));
        assertEquals(1, HostTexture.wrap(WrapMode.MIRROR, -2, r));
        assertEquals(r - 1, HostTexture.wrap(WrapMode.MIRROR, r, r));
        assertEquals(r - 2, HostTexture.wrap(WrapMode.MIRROR, r + 1, r));
        for (long i = -3 * r; i < 3 * r; i++) {
            long m = Math.floorMod(i, 2L * r);
            assertEquals(m < r ? m : 2L * r - 1 - m, HostTexture.wrap(WrapMode.MIRROR, i, r), "index " + i);
        }
    }

    @Test
    void repeatIsEuclideanAndClampClips() {
        assertEquals(4, HostTexture.wrap(WrapMode.REPEAT, -1, 5));
        assertEquals(0, HostTexture.wrap(WrapMode.REPEAT, 10, 5));
        assertEquals(0, HostTexture.wrap(WrapMode.CLAMP, -7, 5));
        assertEquals(4, HostTexture.wrap(WrapMode.CLAMP, 9, 5));
    }
}
