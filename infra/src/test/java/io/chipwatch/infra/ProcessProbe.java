package io.chipwatch.infra;

import java.nio.file.Path;
import java.util.List;

/**
 * A JVM for {@link ProcessWatchdogIT} to kill: starts {@code sleep 600} as an attached or detached
 * {@link LocalProcess}, prints its pid and waits.
 */
public final class ProcessProbe {

    private ProcessProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalProcess sleeper = LocalProcess.builder("sleeper")
                .command(List.of("sleep", "600"))
                .logFile(Path.of(args[1]))
                .detached(args[0].equals("detached"))
                .start();
        System.out.println("pid " + sleeper.pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
