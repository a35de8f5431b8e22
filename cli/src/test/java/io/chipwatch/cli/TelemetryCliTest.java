package io.chipwatch.cli;

import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.supervise.ComponentStatus;
import io.chipwatch.cli.stack.supervise.SupervisorState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.infra.ChipwatchHome;
import io.chipwatch.infra.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole command tree in-process: version, help, and what a failing verb prints. */
class TelemetryCliTest {

    @TempDir
    Path checkout;
    private final String savedRoot = System.getProperty(ChipwatchHome.ROOT_PROPERTY);

    @AfterEach
    void restoreRoot() {
        if (savedRoot == null) {
            System.clearProperty(ChipwatchHome.ROOT_PROPERTY);
        } else {
            System.setProperty(ChipwatchHome.ROOT_PROPERTY, savedRoot);
        }
    }

    /** Runs the real command tree with {@code args}, capturing picocli's out and err. */
    private static CommandRun telemetry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TelemetryCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheBuildsVersionAndJava() {
        CommandRun run = telemetry("--version");
        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).matches("(?s)telemetry \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava \\S+ .*");
    }

    @Test
    void helpListsEveryVerbTestIncluded() {
        CommandRun run = telemetry("--help");
        assertThat(run.exit()).isZero();
        for (String verb : new String[]{"up", "down", "status", "query", "simulate", "eval", "bench", "test",
                "capacity", "lemons", "fault", "alerts"}) {
            assertThat(run.outLines()).as(verb).containsPattern("(?m)^\\s+" + verb + "\\s+\\S");
        }
        assertThat(run.outLines()).as("the supervisor's verb is hidden").doesNotContainPattern("(?m)^\\s+supervise\\s");
        // The wrapper runs `test`; the Java CLI only points there.
        CommandRun test = telemetry("test");
        assertThat(test.exit()).isEqualTo(2);
        assertThat(test.err()).contains("./telemetry test");
    }

    @Test
    void statusJsonHasPidsOfWhatRunsAndTheSupervisorsRestartCounts() throws Exception {
        Files.createDirectories(checkout.resolve("kafka-broker"));
        Files.writeString(checkout.resolve(ChipwatchHome.MARKER), "<project/>");
        StackLayout layout = new StackLayout(checkout);
        StackState state = new StackState();
        state.pids.put("collector", Long.MAX_VALUE - 1);   // recorded, but no such process
        state.save(layout.stateFile());
        new SupervisorState(Long.MAX_VALUE - 2, 0L, Map.of("collector",
                new ComponentStatus(ComponentStatus.RESTARTING, null, 2, 1L, 2L, "boom")))
                .save(SupervisorState.file(layout));
        System.setProperty(ChipwatchHome.ROOT_PROPERTY, checkout.toString());
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandRun run;
        try {
            run = telemetry("status", "--json");
        } finally {
            System.setOut(saved);
        }

        assertThat(run.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("pids").size()).as("no pid of a process that does not run").isZero();
        assertThat(json.get("restarts").get("collector").asInt()).isEqualTo(2);
        assertThat(json.get("restarts").get("kafka").asInt()).isZero();
        assertThat(json.get("restarts").size()).isEqualTo(7);
        assertThat(json.get("supervisor").isNull()).as("no supervisor runs").isTrue();
        // Each job's liveness: nothing runs, so both are down and nothing was read of them.
        assertThat(json.get("health").get("flink").get("state").asText()).isEqualTo("down");
        assertThat(json.get("health").get("detection").get("lastCheckpointAgeS").isNull()).isTrue();
    }

    @Test
    void queryAfterDownPrintsOneLineNamingInfluxDbAndItsLogNotAStackTrace() throws Exception {
        Files.createDirectories(checkout.resolve("kafka-broker"));
        Files.writeString(checkout.resolve(ChipwatchHome.MARKER), "<project/>");
        StackLayout layout = new StackLayout(checkout);
        StackState stopped = new StackState();   // `down` forgets the pids and keeps the ports
        stopped.port("influxdb", "http", FreePorts.pick());
        stopped.save(layout.stateFile());
        System.setProperty(ChipwatchHome.ROOT_PROPERTY, checkout.toString());

        CommandRun run = telemetry("query", "SELECT * FROM chip LIMIT 1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).doesNotContain("\n").doesNotContain("Exception in").doesNotContain("\tat ")
                .startsWith("telemetry query: the stack's InfluxDB (http://127.0.0.1:")
                .contains("is not running: start the stack with ./telemetry up")
                .endsWith("; see " + layout.log("influxdb"));
        // The stack trace is kept for whoever needs it.
        assertThat(Files.readString(layout.log("cli"))).contains("telemetry query SELECT * FROM chip LIMIT 1")
                .contains("at io.chipwatch.cli.verbs.QueryCommand");
    }
}
