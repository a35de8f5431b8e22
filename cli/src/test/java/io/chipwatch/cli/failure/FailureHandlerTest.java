package io.chipwatch.cli.failure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class FailureHandlerTest {

    @TempDir
    Path var;

    @Command(name = "telemetry", subcommands = Boom.class)
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    /** A verb that throws what the test sets. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        static Exception toThrow;

        @CommandLine.Parameters(arity = "0..*")
        String[] args;

        @Override
        public Integer call() throws Exception {
            throw toThrow;
        }
    }

    private record Run(int exit, String err) {
    }

    private Run boom(Exception e) {
        Boom.toThrow = e;
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Root());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new FailureHandler(() -> var.resolve("logs/cli.log")));
        return new Run(cli.execute("boom", "x"), err.toString());
    }

    @Test
    void aFailurePrintsOneLineWithItsCauseAndTheLogThatHoldsTheStackTrace() throws Exception {
        Run run = boom(new IllegalStateException("could not frobnicate",
                new UncheckedIOException(new ConnectException("Connection refused"))));
        Path log = var.resolve("logs/cli.log");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("telemetry boom: could not frobnicate (ConnectException: Connection refused); "
                + "is the stack up? ./telemetry status; details in " + log + System.lineSeparator());
        assertThat(Files.readString(log)).contains("telemetry boom x", "java.lang.IllegalStateException: could not "
                + "frobnicate", "Caused by: java.net.ConnectException: Connection refused");
    }

    @Test
    void aFailureThatNamesABetterLogPointsThereInstead() {
        Run startUp = boom(new IllegalStateException("kafka exited at start (code 1); see /x/var/logs/kafka.log"));
        assertThat(startUp.err().strip())
                .isEqualTo("telemetry boom: kafka exited at start (code 1); see /x/var/logs/kafka.log");

        Run explained = boom(new CliFailure("InfluxDB is not running", Path.of("var/logs/influxdb.log"),
                new IOException("refused")));
        assertThat(explained.err().strip())
                .isEqualTo("telemetry boom: InfluxDB is not running; see var/logs/influxdb.log");
    }

    @Test
    void aMultiLineMessageStaysOnOneLineAndAMessagelessOneIsNamedByItsType() {
        assertThat(boom(new IllegalArgumentException("first\n  second")).err())
                .startsWith("telemetry boom: first second;");
        assertThat(boom(new NullPointerException()).err()).startsWith("telemetry boom: NullPointerException;");
    }

    /** A server that did not start: the line keeps the log's last 3 lines, each at most 200 characters. */
    @Test
    void aStartFailureKeepsOnlyTheEndOfTheServersLog() {
        StringBuilder tail = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            tail.append("ts=").append(i).append(" msg=\"Opened file\" ").append("x".repeat(i == 40 ? 500 : 10))
                    .append('\n');
        }
        String message = "influxd (pid 4030) does not answer http://127.0.0.1:8086/ping after 30 s. Log "
                + "/v/logs/influxdb.log ends with:\n" + tail;
        String err = boom(new IllegalStateException("up failed", new IllegalStateException(message))).err();
        assertThat(err).contains("does not answer http://127.0.0.1:8086/ping after 30 s. Log /v/logs/influxdb.log "
                        + "ends with: | ts=38 msg=\"Opened file\" xxxxxxxxxx | ts=39 ")
                .doesNotContain("ts=37 ").contains("ts=40 msg=\"Opened file\" xxx").contains("x…")
                .doesNotContain("x".repeat(200));
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err.length()).isLessThan(1_000);
    }

    @Test
    void aBrokenPipeIsTheReaderStoppingNotAFailure() {
        Run run = boom(new UncheckedIOException(new IOException("Broken pipe")));
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(var.resolve("logs/cli.log")).doesNotExist();
    }

    @Test
    void withoutACheckoutTheLineStillNamesTheCause() {
        Boom.toThrow = new IllegalStateException("no luck");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Root());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new FailureHandler(() -> {
            throw new IllegalStateException("Cannot find the Chipwatch repository root");
        }));
        assertThat(cli.execute("boom")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("telemetry boom: no luck");
    }
}
