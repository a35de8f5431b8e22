package io.chipwatch.collector;

import io.chipwatch.collector.cli.CollectorCommand;
import picocli.CommandLine;

/**
 * Entry point of the collector process that the local stack starts
 * ({@code java -cp … io.chipwatch.collector.CollectorMain --bootstrap HOST:PORT …}); runs {@link CollectorCommand}.
 */
public final class CollectorMain {

    private CollectorMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorCommand()).execute(args));
    }
}
