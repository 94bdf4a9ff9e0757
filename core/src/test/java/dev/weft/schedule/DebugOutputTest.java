package dev.weft.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Config;
import dev.weft.DType;
import dev.weft.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code weft.debug}: 1 prints the schedule, 2 adds kernel listings and timings. */
class DebugOutputTest {

    @Test
    void debugLevelTwoPrintsScheduleAndListing() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("weft.debug", "2");
        Config.reload();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Tensor.arange(DType.F32, 10).mul(2).sum().item();
        } finally {
            System.setErr(err);
            System.clearProperty("weft.debug");
            Config.reload();
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("kernel weft_") && out.contains("over 10 lanes"), out);
        assertTrue(out.contains("SCATTER_ADD.F32"), out);
        assertTrue(out.contains("compile") && out.contains("run"), out);
    }
}
