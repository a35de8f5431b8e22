package io.chipwatch.cli.capacity;

import org.influxdb.dto.QueryResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns the answers to {@link CapacityPlan#usageQuery()} and {@link CapacityPlan#idleQuery()} into rows. */
public final class CapacityResults {

    /** An InfluxDB error, with what the user can do about it. */
    public static final class QueryFailedException extends RuntimeException {
        public QueryFailedException(String message) {
            super(message);
        }
    }

    private CapacityResults() {
    }

    /**
     * @throws QueryFailedException when InfluxDB answered with an error
     */
    public static CapacityReport report(CapacityPlan plan, QueryResult usage, QueryResult idle) {
        Map<Key, double[]> usageByKey = read(plan, usage, 2);
        Map<Key, double[]> idleByKey = read(plan, idle, 1);
        double perPoint = plan.chipHoursPerPoint();
        List<CapacityRow> rows = new ArrayList<>();
        usageByKey.forEach((key, u) -> {
            double idlePoints = idleByKey.getOrDefault(key, new double[]{0})[0];
            rows.add(new CapacityRow(key.entity, key.start, u[0], u[1] * perPoint, idlePoints * perPoint));
        });
        rows.sort(Comparator.comparing(CapacityRow::entity, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CapacityRow::start));
        return new CapacityReport(plan, rows);
    }

    /**
     * Fails when the chip roll-up exists but lacks the tag to group by (only {@code job} can be missing: stream-jobs
     * writes chip, node, rack and pod). Without that tag every chip-hour would land in "(none)": a wrong answer, so
     * none is given.
     *
     * @param tagKeys the answer to {@link CapacityPlan#tagKeysQuery()}
     * @throws QueryFailedException naming what is missing
     */
    public static void requireGroupingTag(CapacityPlan plan, QueryResult tagKeys) {
        failOnError(plan, tagKeys.getError());
        List<String> keys = new ArrayList<>();
        if (tagKeys.getResults() != null) {
            for (QueryResult.Result r : tagKeys.getResults()) {
                failOnError(plan, r.getError());
                if (r.getSeries() != null) {
                    r.getSeries().forEach(s -> s.getValues().forEach(row -> keys.add(String.valueOf(row.get(0)))));
                }
            }
        }
        if (!keys.isEmpty() && !keys.contains(plan.by().tag())) {
            throw new QueryFailedException("--by " + plan.by() + " needs the tag " + plan.by().tag() + " on "
                    + plan.source() + ", which has only " + String.join(", ", keys) + ": the aggregation job "
                    + "(stream-jobs) must tag each chip's capacity points with its job");
        }
    }

    private record Key(String entity, Instant start) {
    }

    /** Per entity and step start, the {@code width} numeric columns after time. */
    private static Map<Key, double[]> read(CapacityPlan plan, QueryResult result, int width) {
        failOnError(plan, result.getError());
        Map<Key, double[]> out = new HashMap<>();
        if (result.getResults() == null) {
            return out;
        }
        for (QueryResult.Result r : result.getResults()) {
            failOnError(plan, r.getError());
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                String entity = s.getTags() == null ? null : s.getTags().get(plan.by().tag());
                if (entity != null && entity.isEmpty()) {
                    entity = null;
                }
                for (List<Object> row : s.getValues()) {
                    double[] v = new double[width];
                    boolean any = false;
                    for (int i = 0; i < width; i++) {
                        Object cell = row.get(i + 1);
                        v[i] = cell == null ? 0 : ((Number) cell).doubleValue();
                        any |= cell != null;
                    }
                    if (any) {
                        out.put(new Key(entity, time(row.get(0))), v);
                    }
                }
            }
        }
        return out;
    }

    private static Instant time(Object t) {
        if (t instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return Instant.parse(Objects.toString(t));
    }

    private static void failOnError(CapacityPlan plan, String error) {
        if (error == null) {
            return;
        }
        if (error.contains("retention policy not found") || error.contains("database not found")) {
            throw new QueryFailedException("no capacity roll-ups to read (" + error + "): " + plan.source()
                    + " is written by the aggregation job (stream-jobs) once it has run; is this the right "
                    + "InfluxDB and database?");
        }
        throw new QueryFailedException("InfluxDB: " + error);
    }
}
