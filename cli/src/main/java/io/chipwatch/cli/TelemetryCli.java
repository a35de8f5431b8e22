package io.chipwatch.cli;

import io.chipwatch.cli.verbs.DownCommand;
import io.chipwatch.cli.verbs.QueryCommand;
import io.chipwatch.cli.verbs.StatusCommand;
import io.chipwatch.cli.verbs.UpCommand;
import io.chipwatch.collector.cli.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Java command-line tool behind {@code ./telemetry}: one picocli subcommand per verb of GUIDE.md §4.
 * ({@code test} is handled by the shell wrapper, which must install packages and run Maven before any Java runs.)
 */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = "Chipwatch: live telemetry and monitoring for AI-accelerator clusters.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, QueryCommand.class,
                SimulateCommand.class, CommandLine.HelpCommand.class})
public final class TelemetryCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TelemetryCli()).execute(args));
    }
}
