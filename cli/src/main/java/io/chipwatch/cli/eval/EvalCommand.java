package io.chipwatch.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.collector.cli.DurationConverter;
import io.chipwatch.collector.output.FaultEventJson;
import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.scenario.ScenarioException;
import io.chipwatch.collector.scenario.ScenarioLoader;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;
import io.chipwatch.infra.ChipwatchHome;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eval --scenario FILE [--chips N] [-o table|json|csv]}: runs a scenario through the real pipeline and scores the
 * anomalies against its ground truth (CONTRACTS.md §4). The scenario is simulated in simulated time (faster than the
 * wall clock) into a real Kafka topic (a temporary broker unless {@code --bootstrap} names one), the real
 * {@code DetectionJob} runs over it on a local MiniCluster, and the anomalies it publishes are read back and matched
 * to the faults the simulator injected ({@link EvalScore} says how).
 *
 * <p>Output: a table, a csv row per fault type, or with {@code -o json} (deprecated: {@code --json}) exactly the JSON of CONTRACTS.md §4 ({@code faultTypes} with
 * {@code injected, detected, precision, recall, f1, latencyP50S, latencyP95S} per fault type, {@code falsePositives},
 * {@code falsePositivesPer1000ChipHours}) plus a few more fields. Progress goes to standard error.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run a scenario through the real pipeline and score the anomalies against its ground truth.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE",
            description = "Scenario to play (YAML, see scenarios/README.md).")
    Path scenario;

    @Option(names = "--chips", paramLabel = "N", description = "Chips to simulate (default: the scenario's, else 2000).")
    Integer chips;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: the scenario's, else 1).")
    Long seed;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "D",
            description = "Simulated time to cover (default: the scenario's duration).")
    Duration duration;

    @Option(names = "--interval", converter = DurationConverter.class, paramLabel = "D",
            description = "Sampling interval, overriding the scenario's (e.g. 100ms for 10 Hz, 2s for 0.5 Hz).")
    Duration interval;

    @Mixin
    OutputOption output;

    @Option(names = "--grace", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long after a fault ends an anomaly may still start and match it (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--detection-config", paramLabel = "FILE",
            description = "Thresholds overriding the detection job's defaults (stream-jobs detection.yaml).")
    Path detectionConfig;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this Kafka broker (fresh topics) instead of starting a temporary one.")
    String bootstrap;

    @Option(names = KafkaClientSecurity.OPTION, paramLabel = "FILE",
            description = "Kafka credentials file for --bootstrap's broker (a principal that may create topics,"
                    + " e.g. the local stack's kafka-admin.properties); the temporary broker makes its own.")
    Path kafkaCredentials;

    @Option(names = "--parallelism", defaultValue = "2", description = "Detection job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the samples topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--keep", description = "Keep the work folder (broker data, the job's log) and print where it is.")
    boolean keep;

    @Option(names = "--anomalies", paramLabel = "FILE",
            description = "Also write every anomaly event read back as a JSON line to FILE.")
    Path anomaliesFile;

    @Option(names = "--truth", paramLabel = "FILE",
            description = "Also write the ground truth (fault onsets and ends) as JSON lines to FILE.")
    Path truthFile;

    @Override
    public Integer call() throws Exception {
        OutputFormat format = output.format();
        if (!Files.isRegularFile(scenario)) {
            throw new ParameterException(spec.commandLine(), "--scenario " + scenario + ": no such file");
        }
        if (detectionConfig != null && !Files.isRegularFile(detectionConfig)) {
            throw new ParameterException(spec.commandLine(), "--detection-config " + detectionConfig + ": no such file");
        }
        if (parallelism < 1 || partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--parallelism and --partitions must be at least 1");
        }
        Scenario sc;
        SimulationConfig config;
        try {
            sc = ScenarioLoader.load(scenario);
            SimulationConfig.Builder b = sc.configure(SimulationConfig.builder().chips(2000));
            if (chips != null) {
                b.chips(chips);
            }
            if (seed != null) {
                b.seed(seed);
            }
            if (interval != null) {
                if (interval.toMillis() < 1) {
                    throw new IllegalArgumentException("--interval " + interval.toMillis()
                            + " ms: give at least 1ms, e.g. --interval 100ms");
                }
                b.sampleIntervalMillis(interval.toMillis());
            }
            config = b.build();
        } catch (ScenarioException e) {
            throw new ParameterException(spec.commandLine(), "--scenario " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        long runFor = duration != null ? duration.toMillis() : sc.durationMillis();
        if (runFor <= 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive");
        }
        long ticks = (runFor + config.sampleIntervalMillis() - 1) / config.sampleIntervalMillis();

        PrintStream log = System.err;
        Path work = Files.createTempDirectory("chipwatch-eval-");
        EvalRun.Result result;
        try {
            log.printf("eval: scenario %s, %d chips, seed %d, sampled every %d ms, %s of simulated time%n", sc.name(),
                    config.chips(), config.seed(), config.sampleIntervalMillis(),
                    Duration.ofMillis(ticks * config.sampleIntervalMillis()));
            result = new EvalRun(new EvalRun.Options(sc, config, ticks, bootstrap, kafkaCredentials, detectionConfig,
                    parallelism,
                    partitions, work, ChipwatchHome.root(), Duration.ofMinutes(60)), log).run();
        } finally {
            if (keep) {
                log.println("eval: work folder kept at " + work);
            } else {
                EvalRun.deleteTree(work);
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        writeJsonLines(anomaliesFile, result.anomalies(), mapper::writeValueAsString);
        writeJsonLines(truthFile, result.truth(), FaultEventJson::toJson);
        EvalScore.Report report = EvalScore.score(EvalScore.faults(result.truth()), result.anomalies(),
                config.chips(), result.runEndMillis(), result.runMillis(), grace.toMillis());
        Report.builder().text(toTable(sc.name(), config, result, report)).csv(csv(report))
                .json(new ObjectMapper().readTree(toJson(sc.name(), config, result, report))).build()
                .print(format, new PrintWriter(System.out, false, StandardCharsets.UTF_8));
        return 0;
    }

    /** How one value is written as a JSON line. */
    private interface JsonLine<T> {
        String of(T value) throws IOException;
    }

    /** Writes each value as a JSON line to {@code file}; nothing when {@code file} is null (the option not given). */
    private static <T> void writeJsonLines(Path file, List<T> values, JsonLine<T> json) throws IOException {
        if (file == null) {
            return;
        }
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (T value : values) {
                w.write(json.of(value));
                w.newLine();
            }
        }
    }

    /** The CONTRACTS.md §4 JSON, with the run's context and the misses and false positives by id. */
    static String toJson(String name, SimulationConfig config, EvalRun.Result result, EvalScore.Report report)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode types = root.putObject("faultTypes");
        for (Map.Entry<String, EvalScore.TypeScore> e : report.faultTypes().entrySet()) {
            EvalScore.TypeScore s = e.getValue();
            ObjectNode t = types.putObject(e.getKey());
            t.put("injected", s.injected());
            t.put("detected", s.detected());
            putNumber(t, "precision", s.precision());
            putNumber(t, "recall", s.recall());
            putNumber(t, "f1", s.f1());
            putNumber(t, "latencyP50S", s.latencyP50S());
            putNumber(t, "latencyP95S", s.latencyP95S());
            if (s.alerted() != null) {
                t.put("mustNotAlert", true);
                t.put("alerted", s.alerted());
            } else {
                t.put("anomalies", s.anomalies());
            }
        }
        root.put("falsePositives", report.falsePositives());
        root.put("falsePositivesPer1000ChipHours", round(report.falsePositivesPer1000ChipHours()));
        root.put("scenario", name);
        root.put("chips", config.chips());
        root.put("seed", config.seed());
        root.put("sampleIntervalMs", config.sampleIntervalMillis());
        root.put("simulatedSeconds", result.runMillis() / 1000.0);
        root.put("samples", result.samples());
        root.put("anomalies", report.anomalies());
        ArrayNode missed = root.putArray("missed");
        report.missed().forEach(missed::add);
        ArrayNode unmatched = root.putArray("unmatchedAnomalies");
        report.unmatched().forEach(unmatched::add);
        return mapper.writeValueAsString(root);
    }

    static String toTable(String name, SimulationConfig config, EvalRun.Result result, EvalScore.Report report) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Scenario %s: %d chips, seed %d, %.0f s simulated, %,d samples, %d anomalies%n%n",
                name, config.chips(), config.seed(), result.runMillis() / 1000.0, result.samples(), report.anomalies()));
        b.append(String.format(Locale.ROOT, "%-15s %8s %8s %9s %7s %6s %8s %8s%n", "fault type", "injected",
                "detected", "precision", "recall", "f1", "p50 s", "p95 s"));
        for (EvalScore.TypeScore s : report.faultTypes().values()) {
            if (s.alerted() != null) {
                b.append(String.format(Locale.ROOT, "%-15s %8d %8s   must not alert: %d alerted%n", s.type(),
                        s.injected(), "-", s.alerted()));
            } else {
                b.append(String.format(Locale.ROOT, "%-15s %8d %8d %9s %7s %6s %8s %8s%n", s.type(), s.injected(),
                        s.detected(), fmt(s.precision()), fmt(s.recall()), fmt(s.f1()), fmt(s.latencyP50S()),
                        fmt(s.latencyP95S())));
            }
        }
        double chipHours = config.chips() * result.runMillis() / 3_600_000.0;
        b.append(String.format(Locale.ROOT, "%nfalse positives: %d (%.2f per 1,000 chip-hours over %.1f chip-hours)%n",
                report.falsePositives(), report.falsePositivesPer1000ChipHours(), chipHours));
        b.append("\ndetected:\n");
        report.detections().forEach(d -> b.append("  ").append(d).append('\n'));
        if (!report.missed().isEmpty()) {
            b.append("missed:\n");
            report.missed().forEach(d -> b.append("  ").append(d).append('\n'));
        }
        if (!report.unmatched().isEmpty()) {
            b.append("false positives:\n");
            report.unmatched().forEach(d -> b.append("  ").append(d).append('\n'));
        }
        return b.toString();
    }

    /** One row per fault type: the JSON's fields, an empty cell where it has none. */
    static Table csv(EvalScore.Report report) {
        List<List<String>> rows = new ArrayList<>();
        for (EvalScore.TypeScore s : report.faultTypes().values()) {
            rows.add(Arrays.asList(s.type(), String.valueOf(s.injected()), String.valueOf(s.detected()),
                    cell(s.precision()), cell(s.recall()), cell(s.f1()), cell(s.latencyP50S()), cell(s.latencyP95S()),
                    s.alerted() == null ? null : String.valueOf(s.alerted())));
        }
        return new Table(List.of("fault_type", "injected", "detected", "precision", "recall", "f1",
                "latency_p50_s", "latency_p95_s", "must_not_alert_alerted"), rows, 1);
    }

    private static String cell(Double v) {
        return v == null ? null : String.valueOf(round(v));
    }

    private static void putNumber(ObjectNode node, String key, Double value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, round(value));
        }
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
