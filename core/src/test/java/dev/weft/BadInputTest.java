package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input fails at the call that caused it, with the operation, the values and the fix in the
 * message; nothing is evaluated and existing tensors keep their values.
 */
class BadInputTest {
    private final Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    private final Tensor b = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);

    private <T extends Throwable> T failsCleanly(Class<T> type, Executable call, String... fragments) {
        long launched = Weft.stats().kernelsLaunched();
        T e = assertThrows(type, call);
        assertEquals(launched, Weft.stats().kernelsLaunched(), "nothing may run before the error");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.toFloatArray());
        return e;
    }

    /** Issue 9: a null shape was a bare JVM NullPointerException from deep inside reshape. */
    @Test
    void nullShapesNameTheOperationAndTheFix() {
        failsCleanly(NullPointerException.class, () -> a.reshape((long[]) null), "reshape()", "shape is null",
                "reshape(2, -1)");
        failsCleanly(NullPointerException.class, () -> Tensor.zeros(DType.F32, (long[]) null), "Tensor.full()",
                "shape is null");
    }

    @Test
    void broadcastingFailureNamesShapesAndAxis() {
        failsCleanly(IllegalArgumentException.class, () -> a.add(b), "add()", "[2, 3]", "[2, 2]", "axis -1");
    }

    @Test
    void mixingSignedAndUnsignedIntegersNamesTheFix() {
        Tensor i = Tensor.of(new int[] {1, 2, 3});
        Tensor u = i.to(DType.U32);
        failsCleanly(IllegalArgumentException.class, () -> i.add(u), "add()", "I32", "U32",
                "to(DType.");
    }

    @Test
    void fractionalScalarOnIntegerTensorIsRejected() {
        Tensor i = Tensor.of(new int[] {1, 2, 3});
        failsCleanly(IllegalArgumentException.class, () -> i.mul(0.5), "mul()", "0.5", "I32", "to(DType.F32)");
    }

    @Test
    void wrongDataLengthNamesShapeAndCount() {
        failsCleanly(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "[2, 2]", "4",
                "3 values");
    }

    @Test
    void reshapeToWrongSizeNamesBothShapes() {
        failsCleanly(IllegalArgumentException.class, () -> a.reshape(4, 2), "reshape()", "[4, 2]", "[2, 3]");
    }

    @Test
    void itemOfManyElementsSaysHowToGetOne() {
        failsCleanly(IllegalArgumentException.class, a::item, "item()", "[2, 3]", "get(i)");
    }

    @Test
    void sliceOutOfRangeNamesTheRange() {
        failsCleanly(IllegalArgumentException.class, () -> a.slice(1, 2, 5), "slice()", "2..5", "size 3");
    }

    @Test
    void axisOutOfRangeNamesTheRank() {
        failsCleanly(IllegalArgumentException.class, () -> a.sum(2), "sum()", "axis 2", "rank 2");
    }

    @Test
    void whereNeedsABooleanMask() {
        failsCleanly(IllegalArgumentException.class, () -> Tensor.where(a, a, a), "where()", "F32", "BOOL");
    }

    @Test
    void gatherNeedsIntegerIndices() {
        failsCleanly(IllegalArgumentException.class, () -> a.gather(a), "gather()", "F32", "to(DType.I32)");
    }

    @Test
    void matmulWithMismatchedInnerDimensionsNamesThem() {
        failsCleanly(IllegalArgumentException.class, () -> a.matmul(a), "matmul()", "[2, 3]", "inner dimensions");
    }

    @Test
    void unknownBackendNameListsTheKnownOnes() {
        IllegalArgumentException e = failsCleanly(IllegalArgumentException.class, () -> Device.of("tpu"), "tpu",
                "reference");
        assertTrue(e.getMessage().contains("known:"));
    }

    @Test
    void missingDeviceIndexIsUnavailable() {
        failsCleanly(BackendUnavailableException.class, () -> Device.of("reference:3"), "reference:3");
    }

    @Test
    void malformedDeviceIndexSaysTheFormat() {
        failsCleanly(IllegalArgumentException.class, () -> Device.of("reference:x"), "opencl:0");
    }

    @Test
    void negativeShapeIsRejected() {
        failsCleanly(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 2, -1), "negative");
    }

    @Test
    void tooManyElementsIsRejectedBeforeAllocating() {
        failsCleanly(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 1 << 20, 1 << 12), "2^31-1");
    }

    @Test
    void operandsOnDifferentDevicesNameBothDevices() {
        Device other = new Device(Devices.providers().get("reference"), 0);
        try {
            Tensor there;
            try (Weft.Scope s = Weft.device(other)) {
                there = Tensor.ones(DType.F32, 2, 3);
            }
            failsCleanly(IllegalArgumentException.class, () -> a.add(there), "add()", "reference:0", "to(Device)");
        } finally {
            other.close();
        }
    }

    @Test
    void readingATensorOfAClosedDeviceSaysWhatToDo() {
        Device own = new Device(Devices.providers().get("reference"), 0);
        Tensor t;
        try (Weft.Scope s = Weft.device(own)) {
            t = Tensor.of(new float[] {1, 2});
        }
        own.close();
        IllegalStateException e = failsCleanly(IllegalStateException.class, t::toFloatArray, "toFloatArray()",
                "was closed", "to(otherDevice)");
        assertTrue(t.toString().contains("device closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.add(1));
    }
}
