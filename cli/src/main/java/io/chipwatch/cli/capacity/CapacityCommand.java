package io.chipwatch.cli.capacity;

import io.chipwatch.alerting.insight.InfluxInsights;
import io.chipwatch.alerting.insight.InsightHistory;
import io.chipwatch.cli.capacity.CapacityPlan.GroupBy;
import io.chipwatch.cli.stack.InfluxQueries;
import org.influxdb.dto.QueryResult;
import picocli.CommandLine;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code capacity --by pod|rack|node|job --since 30d --step 1d|--total [--pod P] [--rack R] [--job J]
 * [-o table|json|csv]}: historical utilisation from the long-retention capacity roll-ups; per entity and step (or
 * over the whole window), mean utilisation, chip-hours, busy and idle chip-hours.
 * Definitions and the choice of roll-up: {@link CapacityPlan}; outputs: {@link CapacityFormat}.
 *
 * <p>The InfluxDB comes from whoever registers the command ({@link #CapacityCommand(Supplier)}: asked only when the
 * command runs, so the stack can be looked up lazily), or from {@code --influx-url}/{@code --database}, which win.
 *
 * <p>Exit status: 0 with the report (possibly without rows); 2 for a bad option (picocli's usage error, naming the
 * option); 1 when there is no InfluxDB to read or it answers with an error.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Historical utilisation from the capacity roll-ups: per pod, rack, node or job, per step or "
                + "over the whole window (--total), mean utilisation, chip-hours, busy and idle chip-hours.",
                "Reads capacity_3y.chip_1h (1-hour points), or capacity_90d.chip_1m (1-minute points) when --since is "
                        + "at most 48h or --step is not whole hours. A chip-hour is one chip reporting for one hour; "
                        + "it is idle when the chip's mean utilisation in it is under --idle-below, busy otherwise. "
                        + "By job, idle chip-hours are those of chips allocated to the job (the roll-up's job tag) "
                        + "but under --idle-below: capacity the job holds and does not use; chips in no job are "
                        + "\"(none)\". Steps are aligned to UTC (1d = UTC days); the last one is partial.",
                "Capacity by job over the window: capacity --by job --since 7d --total [--pod P] [--rack R]"})
public final class CapacityCommand implements Callable<Integer> {

    /** Where to read: an InfluxDB base URL and database. */
    public record InfluxTarget(String url, String database) {
        public InfluxTarget {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(database, "database");
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--by", defaultValue = "pod", paramLabel = "pod|rack|node|job",
            description = "Group by this level of the cluster, or by job (default: ${DEFAULT-VALUE}).")
    GroupBy by;

    @Option(names = "--since", defaultValue = "30d", converter = CapacityDuration.class, paramLabel = "DURATION",
            description = "How far back, e.g. 90m, 12h, 30d, 12w (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--step", defaultValue = "1d", converter = CapacityDuration.class, paramLabel = "DURATION",
            description = "One row per entity and step, e.g. 1h, 1d, 1w (default: ${DEFAULT-VALUE}).")
    Duration step;

    @Option(names = "--total", description = "One row per entity over the whole --since window instead of one per "
            + "--step (with --by job: each job's chip-hours, busy and idle chip-hours and mean utilisation).")
    boolean total;

    @Option(names = "--pod", paramLabel = "POD", description = "Only the chips of this pod (repeatable).")
    List<String> pods;

    @Option(names = "--rack", paramLabel = "RACK", description = "Only the chips of this rack (repeatable).")
    List<String> racks;

    @Option(names = "--job", paramLabel = "JOB", description = "Only the chips allocated to this job (repeatable).")
    List<String> jobs;

    @Option(names = "--idle-below", defaultValue = "5", paramLabel = "PERCENT",
            description = "A chip-hour whose mean utilisation is below this is idle (default: ${DEFAULT-VALUE} %%); "
                    + "with --by job: a chip allocated to the job but under this is idle, the rest is busy.")
    double idleBelow;

    @Mixin
    OutputOption output;

    @Option(names = "--format", paramLabel = "table|json|csv", description = "Deprecated: same as -o.")
    OutputFormat format;

    @Option(names = "--losses", description = "Instead: chip-hours lost to stragglers and power throttling per job, "
            + "node and slow chip over --since (lost = hours x job chips x slowdown; docs/INSIGHTS.md). Anomalies "
            + "are kept 7 days.")
    boolean losses;

    @Option(names = "--throttle-slowdown", defaultValue = "0.4", paramLabel = "FRACTION",
            description = "With --losses: the slowdown counted for a power-throttled chip, 0 to 1 (default: "
                    + "${DEFAULT-VALUE}).")
    double throttleSlowdown;

    @Option(names = "--influx-url", paramLabel = "URL",
            description = "Read this InfluxDB instead of the local stack's, e.g. http://127.0.0.1:8086.")
    String influxUrl;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database, with --influx-url (default: telemetry).")
    String database;

    private Supplier<InfluxTarget> target;
    private BiFunction<String, String, CapacitySource> sources = InfluxCapacitySource::new;
    private BiFunction<String, String, InsightHistory> histories =
            (url, db) -> new InfluxInsights(url, db, InfluxQueries.credentials(),
                    InfluxCapacitySource.READ_TIMEOUT);
    private Clock clock = Clock.systemUTC();

    /** Without an InfluxDB: {@code --influx-url} must be given (or {@link #setInflux} called). */
    public CapacityCommand() {
        this(() -> null);
    }

    public CapacityCommand(String influxUrl, String database) {
        this(() -> new InfluxTarget(influxUrl, database));
    }

    /** @param target asked when the command runs; may return null when there is none (e.g. no stack running) */
    public CapacityCommand(Supplier<InfluxTarget> target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    public void setInflux(String influxUrl, String database) {
        InfluxTarget t = new InfluxTarget(influxUrl, database);
        this.target = () -> t;
    }

    /** For tests: where the losses' history comes from. */
    CapacityCommand withHistory(BiFunction<String, String, InsightHistory> histories) {
        this.histories = Objects.requireNonNull(histories);
        return this;
    }

    /** For tests: where queries go and what time it is. */
    CapacityCommand with(BiFunction<String, String, CapacitySource> sources, Clock clock) {
        this.sources = Objects.requireNonNull(sources);
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        PrintWriter err = cmd.getErr();
        OutputFormat chosen = output.format();
        if (format != null) {
            if (output.given() && chosen != format) {
                throw new ParameterException(cmd, "--format " + format + " contradicts -o " + chosen);
            }
            chosen = format;
        }
        CapacityPlan plan;
        try {
            plan = CapacityPlan.of(by, since, step, total, idleBelow, new CapacityFilter(pods, racks, jobs),
                    clock.instant());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage());
        }
        if (database != null && influxUrl == null) {
            throw new ParameterException(cmd, "--database needs --influx-url");
        }
        InfluxTarget where = influxUrl != null
                ? new InfluxTarget(influxUrl, database != null ? database : "telemetry")
                : target.get();
        if (where == null) {
            return failed(err, "no InfluxDB to read: start the stack with ./telemetry up, or give --influx-url");
        }
        if (losses) {
            return losses(where, chosen, out, err);
        }
        CapacityReport report;
        try (CapacitySource source = sources.apply(where.url(), where.database())) {
            if (plan.by() == GroupBy.job) {
                CapacityResults.requireGroupingTag(plan, source.query(plan.tagKeysQuery()));
            }
            QueryResult usage = source.query(plan.usageQuery());
            QueryResult idle = source.query(plan.idleQuery());
            report = CapacityResults.report(plan, usage, idle);
        } catch (CapacityResults.QueryFailedException e) {
            return failed(err, e.getMessage());
        } catch (RuntimeException e) {
            return failed(err, "cannot read InfluxDB at " + where.url() + " (database " + where.database() + "): "
                    + e.getMessage());
        }
        CapacityFormat.report(report).print(chosen, out);
        return 0;
    }

    /** {@code --losses}: the chip-hours lost to stragglers and throttling ({@link LossesReport}). */
    private int losses(InfluxTarget where, OutputFormat chosen, PrintWriter out, PrintWriter err) {
        if (!(throttleSlowdown >= 0 && throttleSlowdown <= 1)) {
            throw new ParameterException(spec.commandLine(), "--throttle-slowdown must be from 0 to 1, not "
                    + throttleSlowdown);
        }
        InsightHistory history = histories.apply(where.url(), where.database());
        LossesReport report;
        try {
            report = LossesReport.read(history, clock.instant(), since, throttleSlowdown);
        } catch (RuntimeException e) {
            return failed(err, "cannot read InfluxDB at " + where.url() + " (database " + where.database() + "): "
                    + e.getMessage());
        } finally {
            if (history instanceof InfluxInsights influx) {
                influx.close();
            }
        }
        report.report().print(chosen, out);
        return 0;
    }

    /** Reports why there is no report: {@code capacity: MESSAGE} on standard error, exit status 1. */
    private static int failed(PrintWriter err, String message) {
        err.println("capacity: " + message);
        err.flush();
        return 1;
    }
}
