package dev.weft.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks of this module with JMH's usual command-line options (a regexp of
 * benchmark names, {@code -wi}, {@code -i}, {@code -f}, {@code -p threads=1}, ...), adding the
 * JVM flags the CPU backend needs to every forked JVM.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options cli = new CommandLineOptions(args);
        Options options = new OptionsBuilder().parent(cli)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED")
                .build();
        new Runner(options).run();
    }
}
