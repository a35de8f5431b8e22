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

    /**
     * Flink's RPC (Pekko) checks its timers every {@value #RPC_TIMER_TICK}, not every 10 ms as Pekko's default.
     * Each actor system of a JVM (RPC and metrics) has one such thread, and waking a hundred times a second cost
     * 0.7-1.6 % of a core apiece, ~4 % for the stack's two job JVMs (docs/PERFORMANCE.md). What runs on these
     * timers (heartbeat and RPC timeouts, restart delays: seconds) does not need 10 ms precision.
     */
    public static final String RPC_TIMER_TICK = "100ms";

    /** The system property that sets {@link #RPC_TIMER_TICK}: Pekko reads its configuration's overrides there. */
    public static String rpcTimerTick() {
        return "-Dpekko.scheduler.tick-duration=" + RPC_TIMER_TICK;
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
