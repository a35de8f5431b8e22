package io.chipwatch.cli;

import io.chipwatch.cli.alerts.AlertsCommand;
import io.chipwatch.cli.bench.BenchCommand;
import io.chipwatch.cli.capacity.CapacityCommand;
import io.chipwatch.cli.eval.EvalCommand;
import io.chipwatch.cli.failure.FailureHandler;
import io.chipwatch.cli.insight.LemonsCommand;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.verbs.DownCommand;
import io.chipwatch.infra.ChipwatchHome;
import io.chipwatch.cli.verbs.QueryCommand;
import io.chipwatch.cli.verbs.StatusCommand;
import io.chipwatch.cli.verbs.SuperviseCommand;
import io.chipwatch.cli.verbs.TestCommand;
import io.chipwatch.cli.verbs.UpCommand;
import io.chipwatch.collector.cli.FaultCommand;
import io.chipwatch.collector.cli.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Java command-line tool behind {@code ./telemetry}: one picocli subcommand per verb of CONTRACTS.md §4.
 * ({@code test} is run by the shell wrapper, which must install packages and run Maven before any Java runs; it is
 * listed here for {@code --help}.) A verb that fails prints one line naming the cause and the log to read
 * ({@link FailureHandler}).
 */
@Command(name = "telemetry", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Chipwatch: live telemetry and monitoring for AI-accelerator clusters.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, QueryCommand.class,
                SimulateCommand.class, EvalCommand.class, BenchCommand.class, TestCommand.class, SuperviseCommand.class,
                CommandLine.HelpCommand.class})
public final class TelemetryCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The whole command tree; verbs that need the running stack's endpoints read them from its state file. A failing
     * verb's stack trace goes to {@code var/logs/cli.log}.
     */
    static CommandLine commandLine() {
        return new CommandLine(new TelemetryCli())
                .addSubcommand("capacity", new CapacityCommand(TelemetryCli::stackInflux))
                .addSubcommand("lemons", new LemonsCommand(TelemetryCli::stackInflux))
                .addSubcommand("fault", new FaultCommand(TelemetryCli::stackCollector))
                .addSubcommand("alerts", new AlertsCommand())
                .setExecutionExceptionHandler(new FailureHandler(
                        () -> new StackLayout(ChipwatchHome.root()).log("cli")));
    }

    private static StackState stackState() {
        try {
            return StackState.load(new StackLayout(ChipwatchHome.root()).stateFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stackCollector() {
        return LocalStack.url(stackState(), LocalStack.COLLECTOR);
    }

    private static CapacityCommand.InfluxTarget stackInflux() {
        String url = LocalStack.url(stackState(), LocalStack.INFLUXDB);
        return url == null ? null : new CapacityCommand.InfluxTarget(url, LocalStack.DATABASE);
    }
}
