package io.chipwatch.cli.insight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.alerting.insight.InfluxInsights;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.alerting.insight.LinkWear;
import io.chipwatch.alerting.insight.RepeatOffenders;
import io.chipwatch.alerting.insight.RepeatOffenders.Offender;
import io.chipwatch.cli.capacity.CapacityCommand.InfluxTarget;
import io.chipwatch.cli.capacity.CapacityDuration;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;
import io.chipwatch.cli.output.TextTable;
import io.chipwatch.cli.stack.InfluxQueries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code lemons [--since 7d] [--min 3] [--level node|chip|link|all] [--wearing] [-o table|json|csv]}: the repeat offenders
 * (nodes, chips and links whose anomalies recur, {@link RepeatOffenders}) from the {@code anomaly} measurement, and
 * with {@code --wearing} the links whose latency creeps up ({@link LinkWear}). Definitions: docs/INSIGHTS.md.
 *
 * <p>Exit status: 0 with the report (possibly empty); 2 for a bad option; 1 when there is no InfluxDB to read or it
 * answers with an error.
 */
@Command(name = "lemons", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Repeat offenders: nodes, chips and links whose anomalies recur (3 or more in 7 days by "
                + "default), from the anomaly history in InfluxDB; with --wearing, the links whose latency creeps up "
                + "without crossing the degradation threshold.",
                "An anomaly counts once, in the history it opened in, against its node (its own and those of its "
                        + "chips and their links), its chip (chip anomalies) or its link (link anomalies). "
                        + "Definitions and formulas: docs/INSIGHTS.md."})
public final class LemonsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which offenders to list. */
    enum LevelOption { node, chip, link, all }

    @Spec
    CommandSpec spec;

    @Option(names = "--since", defaultValue = "7d", converter = CapacityDuration.class, paramLabel = "DURATION",
            description = "Count the anomalies that opened this far back, e.g. 24h, 7d (default: ${DEFAULT-VALUE}; "
                    + "anomalies are kept 7 days).")
    Duration since;

    @Option(names = "--min", defaultValue = "3", paramLabel = "N",
            description = "An entity with at least this many anomalies is a repeat offender (default: "
                    + "${DEFAULT-VALUE}).")
    int min;

    @Option(names = "--level", defaultValue = "all", paramLabel = "node|chip|link|all",
            description = "Which offenders to list (default: ${DEFAULT-VALUE}).")
    LevelOption level;

    @Option(names = "--wearing", description = "Also list the wearing links (their hourly latency over "
            + "--wear-since; a heavier query).")
    boolean wearing;

    @Option(names = "--wear-since", defaultValue = "48h", converter = CapacityDuration.class, paramLabel = "DURATION",
            description = "The link latency history the wear trend is judged on (default: ${DEFAULT-VALUE}).")
    Duration wearSince;

    @Option(names = "--wear-min-rise", defaultValue = "20", paramLabel = "PERCENT",
            description = "A trend that rose at least this much is wear (default: ${DEFAULT-VALUE} %%).")
    double wearMinRise;

    @Mixin
    OutputOption output;

    @Option(names = "--influx-url", paramLabel = "URL",
            description = "Read this InfluxDB instead of the local stack's, e.g. http://127.0.0.1:8086.")
    String influxUrl;

    @Option(names = "--database", paramLabel = "NAME", description = "Database, with --influx-url (default: "
            + "telemetry).")
    String database;

    private final Supplier<InfluxTarget> target;
    private Function<InfluxTarget, InsightHistory> histories =
            t -> new InfluxInsights(t.url(), t.database(), InfluxQueries.credentials(), Duration.ofMinutes(5));
    private Clock clock = Clock.systemUTC();

    /** @param target asked when the command runs; null when there is none (no stack running) */
    public LemonsCommand(Supplier<InfluxTarget> target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** For tests: where the history comes from and what time it is. */
    LemonsCommand with(Function<InfluxTarget, InsightHistory> histories, Clock clock) {
        this.histories = Objects.requireNonNull(histories);
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        OutputFormat format = output.format();
        RepeatOffenders.Policy policy;
        LinkWear.Policy wear;
        try {
            policy = new RepeatOffenders.Policy(min, since);
            wear = new LinkWear.Policy(wearSince, Math.min(LinkWear.Policy.DEFAULT.minHours(),
                    (int) Math.max(3, wearSince.toHours() / 2)), wearMinRise, LinkWear.Policy.DEFAULT.degradedRatio());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage());
        }
        if (database != null && influxUrl == null) {
            throw new ParameterException(cmd, "--database needs --influx-url");
        }
        InfluxTarget where = influxUrl != null
                ? new InfluxTarget(influxUrl, database != null ? database : "telemetry") : target.get();
        PrintWriter err = cmd.getErr();
        if (where == null) {
            err.println("lemons: no InfluxDB to read: start the stack with ./telemetry up, or give --influx-url");
            err.flush();
            return 1;
        }
        long now = clock.millis();
        long from = now - policy.history().toMillis();
        List<Offender> offenders;
        List<LinkWear.Wearing> worn = List.of();
        InsightHistory history = histories.apply(where);
        try {
            offenders = RepeatOffenders.find(history.anomalies(from, now, List.of()), from, now, policy.minAnomalies()).stream()
                    .filter(o -> level == LevelOption.all || o.level().label().equals(level.name())).toList();
            if (wearing) {
                worn = LinkWear.find(history.linkHours(now - wearSince.toMillis(), now), wear);
            }
        } catch (RuntimeException e) {
            err.println("lemons: cannot read InfluxDB at " + where.url() + " (database " + where.database() + "): "
                    + e.getMessage());
            err.flush();
            return 1;
        } finally {
            if (history instanceof InfluxInsights influx) {
                influx.close();
            }
        }
        report(from, now, offenders, worn, wear).print(format, cmd.getOut());
        return 0;
    }

    /**
     * The tables (offenders, then with {@code --wearing} the wearing links), csv of the same (times ISO-8601, numbers
     * unrounded), and the JSON of CONTRACTS.md §4.
     */
    private Report report(long from, long now, List<Offender> offenders, List<LinkWear.Wearing> worn,
                          LinkWear.Policy wear) {
        Report.Builder out = Report.builder();
        String what = level == LevelOption.all ? "nodes, chips and links" : level.name() + "s";
        out.line("Repeat offenders: %s with %d or more anomalies opened since %s (%s)", what, min,
                Instant.ofEpochMilli(from), CapacityDuration.format(since));
        List<List<String>> rows = new ArrayList<>();
        for (Offender o : offenders) {
            rows.add(List.of(o.level().label(), o.entity(), Instant.ofEpochMilli(o.firstMillis()).toString(),
                    Instant.ofEpochMilli(o.lastMillis()).toString(), types(o), String.valueOf(o.anomalies())));
        }
        Table table = new Table(List.of("LEVEL", "ENTITY", "FIRST", "LAST", "TYPES", "ANOMALIES"), rows, 5);
        if (offenders.isEmpty()) {
            out.line("(none)");
        } else {
            out.table(table);
        }
        out.csv(new Table(table.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList(), rows, 5));
        if (wearing) {
            out.line("");
            out.line("Wearing links: latency trend (Theil-Sen on hourly medians, %s) up %s %% or more, under %s× "
                    + "(degraded)", CapacityDuration.format(wearSince), TextTable.fixed(wear.minRisePct(), 0),
                    TextTable.fixed(wear.degradedRatio(), 0));
            List<List<String>> links = new ArrayList<>();
            List<List<String>> csv = new ArrayList<>();
            for (LinkWear.Wearing w : worn) {
                links.add(List.of(w.link(), String.valueOf(w.hours()), TextTable.fixed(w.startUs(), 3),
                        TextTable.fixed(w.nowUs(), 3), TextTable.fixed(w.slopeUsPerH(), 4),
                        TextTable.fixed(w.risePct(), 1)));
                csv.add(List.of(w.link(), String.valueOf(w.hours()), String.valueOf(w.startUs()),
                        String.valueOf(w.nowUs()), String.valueOf(w.slopeUsPerH()), String.valueOf(w.risePct())));
            }
            if (worn.isEmpty()) {
                out.line("(none)");
            } else {
                out.table(new Table(List.of("LINK", "HOURS", "START_US", "NOW_US", "SLOPE_US_PER_H", "RISE_%"),
                        links, 1));
            }
            out.csv(new Table(List.of("link", "hours", "start_us", "now_us", "slope_us_per_h", "rise_percent"),
                    csv, 1));
        }
        return out.json(json(from, now, offenders, worn, wear)).build();
    }

    private static String types(Offender o) {
        return o.byType().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private ObjectNode json(long from, long now, List<Offender> offenders, List<LinkWear.Wearing> worn,
                            LinkWear.Policy wear) {
        ObjectNode root = JSON.createObjectNode();
        root.put("since", CapacityDuration.format(since));
        root.put("start", Instant.ofEpochMilli(from).toString());
        root.put("end", Instant.ofEpochMilli(now).toString());
        root.put("min", min);
        ArrayNode rows = root.putArray("offenders");
        for (Offender o : offenders) {
            ObjectNode r = rows.addObject();
            r.put("level", o.level().label());
            r.put("entity", o.entity());
            r.put("anomalies", o.anomalies());
            ObjectNode types = r.putObject("byType");
            o.byType().forEach(types::put);
            r.put("first", Instant.ofEpochMilli(o.firstMillis()).toString());
            r.put("last", Instant.ofEpochMilli(o.lastMillis()).toString());
        }
        if (wearing) {
            root.put("wearSince", CapacityDuration.format(wearSince));
            root.put("wearMinRisePercent", wear.minRisePct());
            ArrayNode links = root.putArray("wearing");
            for (LinkWear.Wearing w : worn) {
                ObjectNode r = links.addObject();
                r.put("link", w.link());
                r.put("hours", w.hours());
                r.put("startUs", w.startUs());
                r.put("nowUs", w.nowUs());
                r.put("slopeUsPerHour", w.slopeUsPerH());
                r.put("risePercent", w.risePct());
            }
        }
        return root;
    }
}
