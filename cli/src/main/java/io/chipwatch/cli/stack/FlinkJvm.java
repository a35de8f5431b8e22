package io.chipwatch.cli.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** JVM options every Flink JVM the CLI starts needs (the stack's jobs, eval's detection job). */
public final class FlinkJvm {
    private FlinkJvm() {
    }

    /** The {@code --add-opens}/{@code --add-exports} list of Flink's launch scripts, as the build records it. */
    public static List<String> opens() {
        Properties build = new Properties();
        try (InputStream in = FlinkJvm.class.getResourceAsStream("/chipwatch-build.properties")) {
            if (in == null) {
                throw new IllegalStateException("chipwatch-build.properties is missing from the CLI's classpath");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chipwatch-build.properties", e);
        }
        return Arrays.asList(build.getProperty("flink.jvm.opens").trim().split("\\s+"));
    }
}
