package io.chipwatch.alerting.pathwatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * InfluxDB refusing the aggregation job's writes while it may well answer {@code /ping} (a revoked write privilege,
 * a dropped database or retention policy, a full disk, any 4xx or 5xx on {@code /write}), named as such: entity
 * {@value InfluxPing#INFLUXDB}, the same alert as {@link InfluxPing}'s (the path watch keeps one per entity).
 *
 * <p>It reads the Influx sinks' metrics of the aggregation job its Flink REST API lists as not ended
 * ({@code /jobs/overview}, told by name when the API serves the other job too; then the vertices of
 * {@code /jobs/:id}, then each vertex's {@code /jobs/:id/vertices/:vid/metrics}, whose ids are
 * {@code subtask.operator.metric}): the gauges {@code influxLastWriteOkMillis}, {@code influxLastWriteError} and
 * {@code influxFailingSinceMillis} and the counters {@code influxWriteRetries} and {@code influxWriteFailures} of
 * each subtask of each sink. A sink subtask is failing from its first failed attempt (its gauge; else from the first
 * check that sees its error gauge set or its retries or failures risen) until a check sees its last successful
 * write move on; one failing for {@code limit} is a problem (the longest failing one is named, with its last
 * error): its share of the points is not stored, whatever the others write.
 *
 * <p>Reading the metrics makes the job's JVM dump every metric it has (measured at 10,000 chips: ~0.02 of a core
 * when read every 5 s), so they are read only when the job has completed no checkpoint for twice its interval
 * ({@code /jobs/:id/checkpoints}: a sink retrying a write blocks its task, and the checkpoint barrier with it) and
 * while a sink is known to fail.
 *
 * <p>A write refused for good ({@code not authorized}: a revoked privilege; a field type conflict) is not retried:
 * the job fails at once and restarts with fresh metrics, too soon for a metric fetch to catch. Those are read from
 * the job's exception history ({@code /jobs/:id/exceptions}: the writer's {@code ... failed and retrying cannot
 * help: ...}): one newer than every sink's last successful write is failing too, until a write succeeds after it.
 * The state outlives the job's restarts (which reset the metrics: a restarted
 * sink has not written yet, it has not succeeded) and is dropped when another job is running. A REST API that does
 * not answer, or lists no running job, cannot tell (the job's own alert covers that).
 */
public final class InfluxWriteProbe implements PathProbe {
    static final String LAST_OK = "influxLastWriteOkMillis";
    static final String LAST_ERROR = "influxLastWriteError";
    static final String RETRIES = "influxWriteRetries";
    static final String FAILURES = "influxWriteFailures";
    static final String FAILING_SINCE = "influxFailingSinceMillis";
    /** The writer's message for a failure retrying cannot fix, in a stack trace of the job's exception history. */
    private static final Pattern REFUSED = Pattern.compile(
            "((?:write of \\d+ points to|CREATE DATABASE|retention policies of) \\S+) failed and retrying cannot help: "
                    + "([^\\r\\n]*)");
    /** Older entries of the exception history are not news (a past incident, before this probe started). */
    static final long RECENT_MILLIS = 5 * 60_000L;
    private static final int MAX_ERROR_CHARS = 300;
    private static final List<String> METRICS = List.of(LAST_OK, LAST_ERROR, RETRIES, FAILURES, FAILING_SINCE);
    /** A job's checkpoint interval when its REST API does not say (Flink's answer lacks it: checkpoints off). */
    private static final long UNKNOWN_INTERVAL_MILLIS = 10_000;
    /** The least wait for a checkpoint, however short the interval, before the sinks' gauges are read. */
    private static final long MIN_STALL_MILLIS = 5_000;
    private final FlinkRest rest;
    private final Duration limit;
    /** The job the state is of. */
    private String jobId;
    /** By vertex id, subtask and operator (the metric id before the metric's name). */
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    /** The job's failures on writes retrying cannot fix (its exception history), as one more failing sink. */
    private final Sink refused = new Sink();
    /** The time of the newest of those seen; 0 before any. */
    private long refusedAtMillis;
    /** The job whose checkpoint interval and first sighting are below. */
    private String stallJobId;
    private long stallJobSeenMillis;
    private long checkpointIntervalMillis;

    /**
     * @param restUrl the aggregation job's Flink REST API, e.g. {@code http://127.0.0.1:8081}
     * @param limit   how long a sink's writes fail, without one succeeding, before it is a problem
     */
    public InfluxWriteProbe(String restUrl, Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the write failure limit must be positive, got " + limit);
        }
        this.rest = new FlinkRest(restUrl, PathWatchSettings.STACK_JOB_NAMES.get(PathWatchSettings.AGGREGATION));
        this.limit = limit;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) throws IOException, InterruptedException {
        String running = rest.runningJobId();
        List<Refusal> refusals = refusals(exceptions(running));
        // Reading the gauges makes the job's JVM dump all its metrics (the REST API's metric fetch): ~0.02 of a
        // core at 10,000 chips when done every check. A sink that fails blocks its task, so the job's checkpoints
        // stop completing: the gauges are read only then, and while a sink is known to be failing.
        Map<String, Reading> readings = running.equals(jobId) && failing() || checkpointsStalled(running, nowMillis)
                ? metrics(running) : Map.of();
        return judge(running, readings, refusals, nowMillis);
    }

    /**
     * Whether any sink of the current job is failing, or its exception history says a write was refused for good
     * (its gauges are then read every check, to see a write succeed: the job's checkpoints complete again at once).
     */
    private boolean failing() {
        return refused.failingSince >= 0 || sinks.values().stream().anyMatch(s -> s.failingSince >= 0);
    }

    /**
     * Whether job {@code running} has completed no checkpoint for twice its interval (at least
     * {@value #MIN_STALL_MILLIS} ms; counted from when this probe first saw the job if it has completed none).
     */
    private boolean checkpointsStalled(String running, long nowMillis) throws IOException, InterruptedException {
        if (!running.equals(stallJobId)) {
            stallJobId = running;
            stallJobSeenMillis = nowMillis;
            JsonNode config = get("/jobs/" + running + "/checkpoints/config");
            long interval = config.path("interval").asLong(0);
            checkpointIntervalMillis = interval > 0 && interval < Long.MAX_VALUE / 4 ? interval
                    : UNKNOWN_INTERVAL_MILLIS;
        }
        CheckpointStats stats = CheckpointStats.parse(get("/jobs/" + running + "/checkpoints"));
        long since = stats.anyCompleted() ? stats.lastCompletedMillis() : stallJobSeenMillis;
        return nowMillis - since > Math.max(MIN_STALL_MILLIS, 2 * checkpointIntervalMillis);
    }

    /** The sinks' gauges and counters, from each vertex's metrics. */
    private Map<String, Reading> metrics(String running) throws IOException, InterruptedException {
        Map<String, Reading> readings = new LinkedHashMap<>();
        for (JsonNode vertex : get("/jobs/" + running).path("vertices")) {
            String base = "/jobs/" + running + "/vertices/" + vertex.path("id").asText() + "/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(base)) {
                String id = m.path("id").asText();
                if (METRICS.stream().anyMatch(name -> id.endsWith("." + name))) {
                    ids.add(id);
                }
            }
            if (!ids.isEmpty()) {
                readings.putAll(readings(vertex.path("id").asText(), get(base + "?get="
                        + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))));
            }
        }
        return readings;
    }

    /** The job's exception history; empty when the REST API has none to give (the metrics still tell). */
    private JsonNode exceptions(String running) throws InterruptedException {
        try {
            return get("/jobs/" + running + "/exceptions?maxExceptions=10");
        } catch (IOException e) {
            return FlinkRest.empty();
        }
    }

    /** A write failure retrying cannot fix, from the job's exception history: when, and the error in short. */
    record Refusal(long atMillis, String error) {
    }

    /**
     * The Influx sink writers' failures that retrying cannot fix in an answer of {@code /jobs/:id/exceptions}
     * ({@code {"exceptionHistory":{"entries":[{"stacktrace":"...","timestamp":...}]}}}), as the error gauge would
     * show them ({@code message (what)}).
     */
    static List<Refusal> refusals(JsonNode exceptions) {
        List<Refusal> out = new ArrayList<>();
        for (JsonNode entry : exceptions.path("exceptionHistory").path("entries")) {
            // The last mention is the writer's own exception; wrappers before it quote it (TimerException{...}).
            Matcher m = REFUSED.matcher(entry.path("stacktrace").asText(""));
            String what = null;
            String message = null;
            while (m.find()) {
                what = m.group(1);
                message = m.group(2);
            }
            if (what != null) {
                String text = message.strip() + " (" + what + ")";
                out.add(new Refusal(entry.path("timestamp").asLong(0), text.length() <= MAX_ERROR_CHARS ? text
                        : text.substring(0, MAX_ERROR_CHARS - 3) + "..."));
            }
        }
        return out;
    }

    /**
     * The sinks' readings in an answer of {@code /jobs/:id/vertices/:vid/metrics?get=...} ({@code [{"id":
     * "0.influx-chip-sink__Writer.influxLastWriteError","value":"..."}]}), by vertex, subtask and operator.
     */
    static Map<String, Reading> readings(String vertexId, JsonNode metrics) {
        Map<String, Reading> out = new LinkedHashMap<>();
        for (JsonNode m : metrics) {
            String id = m.path("id").asText();
            int firstDot = id.indexOf('.');
            int lastDot = id.lastIndexOf('.');
            if (firstDot < 0 || lastDot <= firstDot) {
                continue;
            }
            String operator = vertexId + "/" + id.substring(0, lastDot);
            String name = id.substring(lastDot + 1);
            String value = m.path("value").asText("");
            Reading r = out.computeIfAbsent(operator, k -> new Reading(operator));
            switch (name) {
                case LAST_OK -> r.lastOkMillis = Math.max(r.lastOkMillis, number(value));
                case LAST_ERROR -> {
                    if (r.error.isEmpty()) {
                        r.error = value.strip();
                    }
                }
                case RETRIES, FAILURES -> r.attemptsFailed += number(value);
                case FAILING_SINCE -> r.failingSinceMillis = number(value);
                default -> { }
            }
        }
        return out;
    }

    /**
     * Updates each sink's state with this check's readings of job {@code running} and the refusals in its
     * exception history; the problem, if any.
     */
    List<PathProblem> judge(String running, Map<String, Reading> readings, List<Refusal> refusals, long nowMillis) {
        if (!running.equals(jobId)) {
            jobId = running;
            sinks.clear();
            refused.clear();
            refusedAtMillis = 0;
        }
        for (Reading r : readings.values()) {
            sinks.computeIfAbsent(r.operator, k -> new Sink()).update(r, nowMillis);
        }
        long newestOk = sinks.values().stream().mapToLong(s -> s.lastOkMillis).max().orElse(0);
        for (Refusal r : refusals) {
            if (r.atMillis() > refusedAtMillis && r.atMillis() > newestOk && r.atMillis() >= nowMillis - RECENT_MILLIS) {
                refusedAtMillis = r.atMillis();
                refused.lastError = r.error();
                if (refused.failingSince < 0) {
                    refused.failingSince = nowMillis;
                }
            }
        }
        if (refused.failingSince >= 0 && newestOk > refusedAtMillis) {
            refused.clear();
        }
        Sink worst = null;
        List<Sink> all = new ArrayList<>(sinks.values());
        all.add(refused);
        for (Sink s : all) {
            if (s.failingSince >= 0 && (worst == null || s.failingSince < worst.failingSince)) {
                worst = s;
            }
        }
        if (worst == null || nowMillis - worst.failingSince < limit.toMillis()) {
            return List.of();
        }
        double failingS = (nowMillis - worst.failingSince) / 1000.0;
        double limitS = limit.toMillis() / 1000.0;
        return List.of(new PathProblem(InfluxPing.INFLUXDB, Severity.CRITICAL, worst.failingSince,
                String.format(Locale.ROOT, "InfluxDB rejects the aggregation job's writes for %.0f s: %s; no write "
                        + "succeeded since (limit %.0f s): roll-ups are not stored and the job falls behind", failingS,
                        worst.lastError, limitS), Map.of(Fact.FAILING_S, failingS, Fact.FAILING_LIMIT_S, limitS)));
    }

    private static long number(String value) {
        try {
            return (long) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One sink subtask's metrics in one check. */
    static final class Reading {
        final String operator;
        long lastOkMillis;
        String error = "";
        long attemptsFailed;
        /** The sink's first failed attempt since its last success (its gauge); 0 when none or not reported. */
        long failingSinceMillis;

        Reading(String operator) {
            this.operator = operator;
        }
    }

    /** What the checks so far say of one sink subtask. */
    private static final class Sink {
        long lastOkMillis;
        /** Its retries and failures at the last check; -1 before the first. */
        long attemptsFailed = -1;
        /** The check that first saw it failing since its last success; -1 when not failing. */
        long failingSince = -1;
        String lastError = "";

        void clear() {
            failingSince = -1;
            lastError = "";
        }

        void update(Reading r, long nowMillis) {
            if (r.lastOkMillis > lastOkMillis) {
                lastOkMillis = r.lastOkMillis;
                failingSince = -1;
                lastError = "";
            }
            // Fewer than before: the job restarted and its counters with it; not a failure in itself.
            boolean risen = attemptsFailed >= 0 && r.attemptsFailed > attemptsFailed;
            attemptsFailed = r.attemptsFailed;
            if (!r.error.isEmpty() || risen) {
                if (failingSince < 0) {
                    // Since its first failed attempt when the sink says (its gauges are read only once the job's
                    // checkpoints stall), else since this check.
                    failingSince = r.failingSinceMillis > 0 ? Math.min(r.failingSinceMillis, nowMillis) : nowMillis;
                }
                if (!r.error.isEmpty()) {
                    lastError = r.error;
                } else if (lastError.isEmpty()) {
                    lastError = "(retries rising, no message)";
                }
            }
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return rest.get(path);
    }

    @Override
    public String toString() {
        return "InfluxDB writes of the job at " + rest.url();
    }
}
