package io.chipwatch.cli;

import io.chipwatch.cli.output.OutputFormat;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one output convention (CONTRACTS.md §4): every verb that prints data takes {@code -o table|json|csv} (and the
 * deprecated {@code --json}), and rejects an unknown format as a usage error naming the allowed ones, before it does
 * any work (no stack, InfluxDB or alerting service is needed to fail).
 */
class OutputConventionTest {

    /** Each verb that prints data, with the least arguments it needs besides {@code -o}. */
    private static final Map<String, List<String>> VERBS = new TreeMap<>(Map.of(
            "status", List.of(),
            "query", List.of("SELECT 1"),
            "capacity", List.of(),
            "lemons", List.of(),
            "eval", List.of("--scenario", "no-such-scenario.yaml"),
            "bench", List.of(),
            "alerts list", List.of(),
            "alerts silences", List.of()));

    private static CommandRun telemetry(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TelemetryCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));
        return new CommandRun(exit, out.toString(), err.toString());
    }

    private static List<String> args(String verb, String... more) {
        List<String> args = new ArrayList<>(List.of(verb.split(" ")));
        args.addAll(VERBS.get(verb));
        args.addAll(List.of(more));
        return args;
    }

    /** The verbs of the whole command tree that have {@code -o}, as "alerts list". */
    private static List<String> verbsWithOutput(CommandLine cmd, String prefix, List<String> found) {
        for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
            String name = (prefix + " " + sub.getKey()).strip();
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (spec.findOption("-o") != null) {
                found.add(name);
            }
            verbsWithOutput(sub.getValue(), name, found);
        }
        return found;
    }

    @Test
    void everyVerbThatPrintsDataHasTheOutputOption() {
        assertThat(verbsWithOutput(TelemetryCli.commandLine(), "", new ArrayList<>()))
                .containsExactlyInAnyOrderElementsOf(VERBS.keySet());
        for (String verb : VERBS.keySet()) {
            CommandLine cli = TelemetryCli.commandLine();
            for (OutputFormat f : OutputFormat.values()) {
                assertThat(cli.parseArgs(args(verb, "-o", f.name()).toArray(String[]::new)).hasSubcommand())
                        .as(verb + " -o " + f).isTrue();
            }
            assertThat(cli.parseArgs(args(verb, "--json").toArray(String[]::new)).hasSubcommand())
                    .as(verb + " --json (deprecated)").isTrue();
        }
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheAllowedOnes() {
        for (String verb : VERBS.keySet()) {
            CommandRun run = telemetry(args(verb, "-o", "xml"));
            assertThat(run.exit()).as(verb).isEqualTo(2);
            assertThat(run.err()).as(verb)
                    .contains("-o/--output: unknown format 'xml'; use one of table, json, csv");
            assertThat(run.out()).as(verb).isEmpty();
        }
    }

    @Test
    void theDeprecatedJsonContradictingOutputIsAUsageError() {
        for (String verb : VERBS.keySet()) {
            CommandRun run = telemetry(args(verb, "--json", "-o", "csv"));
            assertThat(run.exit()).as(verb).isEqualTo(2);
            assertThat(run.err()).as(verb).contains("--json (same as -o json) contradicts -o csv");
        }
    }

    @Test
    void formatsAreMatchedWhateverTheirCase() {
        assertThat(OutputFormat.named("JSON")).contains(OutputFormat.json);
        assertThat(OutputFormat.named(" Csv ")).contains(OutputFormat.csv);
        assertThat(OutputFormat.named("yaml")).isEmpty();
        assertThat(OutputFormat.names()).isEqualTo("table, json, csv");
    }
}
