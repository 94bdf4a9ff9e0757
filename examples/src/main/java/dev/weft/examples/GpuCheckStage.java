package dev.weft.examples;

import java.util.List;

/**
 * One stage of the GPU check: a command run as a process of its own, with a time limit, or a
 * stage that cannot run yet and says why.
 *
 * @param name the stage's short name ({@code cuda-runtime}), for the report and {@code --limit}
 * @param what what it checks, one line
 * @param limitSeconds how long it may run before it is killed
 * @param java whether {@code command} is a main class and its arguments, run on this JVM's runtime
 *     and class path (else a program on PATH and its arguments)
 * @param command what to run; empty for a stage that is not available yet
 * @param notYet why the stage cannot run yet (empty when it can)
 */
record GpuCheckStage(String name, String what, int limitSeconds, boolean java, List<String> command, String notYet) {
    GpuCheckStage {
        command = List.copyOf(command);
    }

    static GpuCheckStage java(String name, String what, int limitSeconds, String... mainAndArgs) {
        return new GpuCheckStage(name, what, limitSeconds, true, List.of(mainAndArgs), "");
    }

    static GpuCheckStage program(String name, String what, int limitSeconds, String... command) {
        return new GpuCheckStage(name, what, limitSeconds, false, List.of(command), "");
    }

    static GpuCheckStage notYet(String name, String what, String why) {
        return new GpuCheckStage(name, what, 0, false, List.of(), why);
    }

    GpuCheckStage withLimit(int seconds) {
        return new GpuCheckStage(name, what, seconds, java, command, notYet);
    }

    /** How a stage ended. */
    enum Outcome {
        /** Exit code 0. */
        PASSED,
        /** Exit code 1, or a crash: the output says what. */
        FAILED,
        /** Killed at its time limit. */
        TIMED_OUT,
        /** Exit code 2: the command is not available (yet, or on this machine); the output says why. */
        NOT_AVAILABLE,
        /** The runtime stage found no GPU (exit code 2): nothing after it can run. */
        NO_GPU,
        /** A program the stage runs is not installed here. */
        SKIPPED
    }
}
