package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.LocalStack;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StackCommandTest {

    /** Runs {@code command} with {@code args}; returns the exit code and appends standard error to {@code err}. */
    private static int execute(Object command, StringBuilder err, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(command).execute(args);
        } finally {
            System.setErr(saved);
            err.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void badOptionsOfUpAreReportedWithExitCodeTwo() {
        StringBuilder err = new StringBuilder();
        assertThat(execute(new UpCommand(), err, "--chips", "12")).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("--chips must be a positive multiple of 8 (whole 8-chip nodes), got 12");

        StringBuilder noScenario = new StringBuilder();
        assertThat(execute(new UpCommand(), noScenario, "--scenario", "no/such/scenario.yaml")).isEqualTo(2);
        assertThat(noScenario.toString().strip()).isEqualTo("--scenario: cannot read no/such/scenario.yaml");
    }

    @Test
    void badClusterSizesFailAtStartNamingTheOption() {
        StringBuilder brokers = new StringBuilder();
        assertThat(execute(new UpCommand(), brokers, "--cluster", "--brokers", "2")).isEqualTo(2);
        assertThat(brokers.toString().strip()).isEqualTo("--brokers must be 3 to 9 (topics have 3 replicas), got 2");

        StringBuilder tms = new StringBuilder();
        assertThat(execute(new UpCommand(), tms, "--cluster", "--taskmanagers", "0")).isEqualTo(2);
        assertThat(tms.toString().strip()).isEqualTo("--taskmanagers must be 1 to 8, got 0");

        StringBuilder noCluster = new StringBuilder();
        assertThat(execute(new UpCommand(), noCluster, "--taskmanagers", "3")).isEqualTo(2);
        assertThat(noCluster.toString().strip()).isEqualTo("--taskmanagers needs --cluster");
    }

    @CommandLine.Command(name = "probe")
    static final class Probe extends StackCommand {
        final List<LocalStack> stacks = new ArrayList<>();
        String problem;

        @Override
        String invalidOptions() {
            return problem;
        }

        @Override
        int run(LocalStack stack) {
            stacks.add(stack);
            return 7;
        }
    }

    @Test
    void validOptionsRunTheVerbOnTheStackOfThisCheckoutAndReturnItsExitCode() {
        Probe probe = new Probe();
        StringBuilder err = new StringBuilder();
        assertThat(execute(probe, err)).isEqualTo(7);
        assertThat(probe.stacks).hasSize(1);
        assertThat(probe.stacks.get(0).layout().var().getFileName()).hasToString("var");
        assertThat(err).isEmpty();

        Probe refused = new Probe();
        refused.problem = "--x is wrong";
        assertThat(execute(refused, err)).isEqualTo(2);
        assertThat(refused.stacks).isEmpty();
        assertThat(err.toString().strip()).isEqualTo("--x is wrong");
    }
}
