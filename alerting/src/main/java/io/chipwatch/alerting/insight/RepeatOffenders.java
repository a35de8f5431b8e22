package io.chipwatch.alerting.insight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Repeat offenders ("lemons", docs/INSIGHTS.md): the nodes, chips and links whose anomalies recur. An anomaly counts
 * once (by id) in the history it <b>opened</b> in, against
 * <ul>
 *   <li>its <b>node</b> (its {@code node} tag): the node's own anomalies and those of its chips and the links they
 *       report; a rack's or the telemetry path's anomalies have no node and count for none;</li>
 *   <li>its <b>chip</b>, when its scope is chip;</li>
 *   <li>its <b>link</b>, when its scope is link.</li>
 * </ul>
 * An entity with at least {@link Policy#minAnomalies()} is a repeat offender. {@code telemetry_silent} (the
 * telemetry path, not the cluster) never counts, nor does an anomaly that opened <b>within a wider incident</b>: a
 * rack-wide one of its rack ({@code rack_cooling}: its chips run hot, their sensors look odd, because of the rack's
 * cooling, not the node), or a telemetry outage (a {@code telemetry_silent} without a node: the whole path; with a
 * node: that node's exporter), from {@link #INCIDENT_LEAD} before the incident opened to {@link #INCIDENT_TAIL}
 * after it closed ({@link #INCIDENT_UNCLOSED} after it opened when its close is not in the history).
 */
public final class RepeatOffenders {

    /** The level an offender is counted at. */
    public enum Level {
        NODE, CHIP, LINK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * When an entity is a repeat offender.
     *
     * @param minAnomalies anomalies (opened within {@code history}) that make one, at least 1; default 3
     * @param history      how far back, default 7 days (the {@code anomaly} measurement is kept 7 days: raw_7d)
     */
    public record Policy(int minAnomalies, Duration history) {
        public static final Policy DEFAULT = new Policy(3, Duration.ofDays(7));

        public Policy {
            if (minAnomalies < 1) {
                throw new IllegalArgumentException("the minimum number of anomalies must be at least 1, not "
                        + minAnomalies);
            }
            if (history.isNegative() || history.isZero()) {
                throw new IllegalArgumentException("the history must be positive, not " + history);
            }
        }
    }

    /**
     * One repeat offender.
     *
     * @param level       node, chip or link
     * @param entity      its id
     * @param anomalies   distinct anomalies that opened in the history
     * @param byType      those anomalies per type label, sorted by type
     * @param firstMillis when the first of them opened
     * @param lastMillis  when the last of them opened
     */
    public record Offender(Level level, String entity, int anomalies, SortedMap<String, Integer> byType,
                           long firstMillis, long lastMillis) {
    }

    /** How long before a wider incident opened an anomaly still counts as part of it (detectors differ in speed). */
    static final long INCIDENT_LEAD = 60_000;
    /** How long after a wider incident closed an anomaly still counts as part of it (the last chips recovering). */
    static final long INCIDENT_TAIL = 60_000;
    /** How long an incident whose close is not in the history is taken to have lasted. */
    static final long INCIDENT_UNCLOSED = 10 * 60_000;

    /** A wider incident: a rack's ({@code rack} set), a node's telemetry, or the whole path's, over a time span. */
    private record Incident(String rack, String node, long fromMillis, long toMillis) {
        boolean covers(AnomalyEvent e) {
            boolean where = !rack.isEmpty() ? rack.equals(e.rack()) : node.isEmpty() || node.equals(e.node());
            return where && e.timeMillis() >= fromMillis && e.timeMillis() <= toMillis;
        }
    }

    private RepeatOffenders() {
    }

    /** The wider incidents among {@code events}: rack cooling failures and telemetry outages. */
    private static List<Incident> incidents(List<AnomalyEvent> events) {
        Map<String, Long> closes = new HashMap<>();
        for (AnomalyEvent e : events) {
            if (!e.open()) {
                closes.merge(e.id(), e.timeMillis(), Math::max);
            }
        }
        List<Incident> incidents = new ArrayList<>();
        for (AnomalyEvent e : events) {
            boolean rackWide = e.type().equals("rack_cooling") && !e.entity().isEmpty();
            boolean telemetry = e.type().equals("telemetry_silent");
            if (!e.open() || !(rackWide || telemetry)) {
                continue;
            }
            Long close = closes.get(e.id());
            long to = close != null ? close + INCIDENT_TAIL : e.timeMillis() + INCIDENT_UNCLOSED;
            incidents.add(new Incident(rackWide ? (e.rack().isEmpty() ? e.entity() : e.rack()) : "",
                    rackWide ? "" : e.node(), e.timeMillis() - INCIDENT_LEAD, to));
        }
        return incidents;
    }

    /**
     * The offenders among {@code events} whose open event is in {@code [fromMillis, toMillis)}, most anomalies
     * first, then by level and entity.
     */
    public static List<Offender> find(List<AnomalyEvent> events, long fromMillis, long toMillis, int minAnomalies) {
        Map<String, AnomalyEvent> opened = new HashMap<>();
        List<Incident> incidents = incidents(events);
        for (AnomalyEvent e : events) {
            if (e.open() && e.timeMillis() >= fromMillis && e.timeMillis() < toMillis
                    && !e.type().equals("telemetry_silent") && !e.type().equals("rack_cooling")
                    && incidents.stream().noneMatch(i -> i.covers(e))) {
                opened.merge(e.id(), e, (a, b) -> a.timeMillis() <= b.timeMillis() ? a : b);
            }
        }
        Map<Level, Map<String, List<AnomalyEvent>>> byEntity = new HashMap<>();
        for (AnomalyEvent e : opened.values()) {
            add(byEntity, Level.NODE, e.node(), e);
            if (e.scope().equals("chip")) {
                add(byEntity, Level.CHIP, e.chip().isEmpty() ? e.entity() : e.chip(), e);
            }
            if (e.scope().equals("link")) {
                add(byEntity, Level.LINK, e.link().isEmpty() ? e.entity() : e.link(), e);
            }
        }
        List<Offender> out = new ArrayList<>();
        byEntity.forEach((level, entities) -> entities.forEach((entity, list) -> {
            if (list.size() >= minAnomalies) {
                SortedMap<String, Integer> types = new TreeMap<>();
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (AnomalyEvent e : list) {
                    types.merge(e.type(), 1, Integer::sum);
                    first = Math.min(first, e.timeMillis());
                    last = Math.max(last, e.timeMillis());
                }
                out.add(new Offender(level, entity, list.size(), types, first, last));
            }
        }));
        out.sort(Comparator.comparingInt(Offender::anomalies).reversed()
                .thenComparing(Offender::level).thenComparing(Offender::entity));
        return out;
    }

    /** The offenders of one level. */
    public static List<Offender> at(Level level, List<Offender> offenders) {
        return offenders.stream().filter(o -> o.level() == level).toList();
    }

    private static void add(Map<Level, Map<String, List<AnomalyEvent>>> to, Level level, String entity,
                            AnomalyEvent e) {
        if (entity.isEmpty()) {
            return;
        }
        to.computeIfAbsent(level, l -> new HashMap<>()).computeIfAbsent(entity, k -> new ArrayList<>()).add(e);
    }
}
