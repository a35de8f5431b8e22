package io.chipwatch.alerting.pathwatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the path watch looks at and its limits.
 *
 * @param groups           stream job component name → its consumer group on the samples topic
 * @param lagLimit         a job this far behind the newest sample (in time of samples) is degraded
 * @param unreachableAfter Kafka or InfluxDB failing every look-up this long is degraded
 * @param deliveryLimit    a receiver failing every delivery this long is degraded
 * @param every            how often the probes run
 * @param jobRest          stream job component name → its Flink REST API, whose checkpoints are watched
 *                         ({@link CheckpointProbe}); empty: none. The {@value #AGGREGATION} job's Influx sinks
 *                         are watched too ({@link InfluxWriteProbe})
 * @param influxWriteFailAfter the aggregation job's InfluxDB writes failing this long, none succeeding, is degraded
 */
public record PathWatchSettings(Map<String, String> groups, Duration lagLimit, Duration unreachableAfter,
                                Duration deliveryLimit, Duration every, Map<String, String> jobRest,
                                Duration influxWriteFailAfter) {
    /** The aggregation job's component name, as the supervisor names it: its Influx sinks' writes are watched. */
    public static final String AGGREGATION = "flink";
    /**
     * The Flink job name of each of the local stack's stream jobs, by component name: how a probe tells its job
     * from the other on a REST API both share (a session cluster, {@code up --cluster}).
     */
    public static final Map<String, String> STACK_JOB_NAMES = Map.of(AGGREGATION, "chipwatch-aggregation",
            "detection", "chipwatch-detection");
    /** A job whose newest this many finished checkpoints failed is degraded (30 s at the jobs' 10 s interval). */
    public static final int CHECKPOINTS_FAILED_IN_A_ROW = 3;
    /** The local stack's jobs, named as the supervisor names their components. */
    public static final Map<String, String> STACK_GROUPS = stackGroups();
    public static final PathWatchSettings DEFAULT = new PathWatchSettings(STACK_GROUPS, Duration.ofSeconds(60),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(5), Map.of(), Duration.ofSeconds(30));

    public PathWatchSettings {
        groups = Map.copyOf(groups);
        jobRest = new LinkedHashMap<>(jobRest);
        for (Duration d : new Duration[] {lagLimit, unreachableAfter, deliveryLimit, every, influxWriteFailAfter}) {
            Objects.requireNonNull(d, "durations");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("path watch durations must be positive, got " + d);
            }
        }
    }

    /** Without checkpoint watch. */
    public PathWatchSettings(Map<String, String> groups, Duration lagLimit, Duration unreachableAfter,
                             Duration deliveryLimit, Duration every) {
        this(groups, lagLimit, unreachableAfter, deliveryLimit, every, Map.of(), DEFAULT_INFLUX_WRITE_FAIL_AFTER);
    }

    /** How long the aggregation job's InfluxDB writes may fail unless configured otherwise. */
    public static final Duration DEFAULT_INFLUX_WRITE_FAIL_AFTER = Duration.ofSeconds(30);

    public PathWatchSettings withGroups(Map<String, String> newGroups) {
        return new PathWatchSettings(newGroups, lagLimit, unreachableAfter, deliveryLimit, every, jobRest, influxWriteFailAfter);
    }

    public PathWatchSettings withLagLimit(Duration limit) {
        return new PathWatchSettings(groups, limit, unreachableAfter, deliveryLimit, every, jobRest, influxWriteFailAfter);
    }

    public PathWatchSettings withJobRest(Map<String, String> newJobRest) {
        return new PathWatchSettings(groups, lagLimit, unreachableAfter, deliveryLimit, every, newJobRest, influxWriteFailAfter);
    }

    public PathWatchSettings withInfluxWriteFailAfter(Duration failAfter) {
        return new PathWatchSettings(groups, lagLimit, unreachableAfter, deliveryLimit, every, jobRest, failAfter);
    }

    /** The stack's jobs use their Flink job name as their consumer group. */
    private static Map<String, String> stackGroups() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AGGREGATION, STACK_JOB_NAMES.get(AGGREGATION));
        m.put("detection", STACK_JOB_NAMES.get("detection"));
        return m;
    }
}
