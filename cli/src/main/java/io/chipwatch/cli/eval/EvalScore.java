package io.chipwatch.cli.eval;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scores anomalies against the ground truth of a run (the {@code eval} verb, CONTRACTS.md §4). Pure: no I/O.
 *
 * <p><b>Matching.</b> An anomaly matches a fault when its type is the fault's type (same label), its entity is the
 * fault's target or contains it (the target is in its {@code affected} list, or the target's id lies under the
 * entity's in the hierarchy: {@code p00-r03} contains {@code p00-r03-n07-c05}), and it starts (its
 * {@code startMillis}) within {@code [onset, end + grace]} ({@code end}: the fault's end, or the end of the run for
 * a fault still active then).
 *
 * <p><b>Per fault type.</b> {@code injected}: faults of the type; {@code detected}: those matched by at least one
 * anomaly; {@code recall = detected / injected}; {@code precision}: anomalies of the type that match a fault, over
 * all anomalies of the type; {@code f1} their harmonic mean; detection latency, per detected fault, from its onset
 * to the {@code eventMillis} of the first matching anomaly's open event (when the detector knew), in simulated
 * seconds, as nearest-rank p50 and p95. A value that is undefined (no anomaly of the type, nothing injected) is
 * null. Fault types that must not alert ({@code sensor_glitch}) have no anomaly type: their entry counts in
 * {@code alerted} the faults that raised any anomaly on their target within their window, and has no
 * precision/recall.
 *
 * <p><b>False positives.</b> Anomalies that match no fault, in total and per 1,000 chip-hours of the run.
 */
public final class EvalScore {

    /** A fault of the ground truth, its onset and end joined. */
    public record TruthFault(String id, FaultType type, String target, long onsetMillis, Long endMillis) {
        public TruthFault {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(target, "target");
        }
    }

    /** The score of one fault type. */
    public record TypeScore(String type, int injected, int detected, Double precision, Double recall, Double f1,
                            Double latencyP50S, Double latencyP95S, int anomalies, Integer alerted) {
    }

    /** The whole score. */
    public record Report(Map<String, TypeScore> faultTypes, int falsePositives,
                         double falsePositivesPer1000ChipHours, int anomalies, List<String> missed,
                         List<String> unmatched, List<String> detections) {
    }

    private EvalScore() {
    }

    /** Joins onset and end events by fault id, in onset order. */
    public static List<TruthFault> faults(Collection<FaultEvent> events) {
        Map<String, TruthFault> byId = new LinkedHashMap<>();
        for (FaultEvent e : events) {
            if (e.phase() == FaultEvent.Phase.ONSET) {
                byId.putIfAbsent(e.id(), new TruthFault(e.id(), e.type(), e.target(), e.onsetMillis(), null));
            }
        }
        for (FaultEvent e : events) {
            if (e.phase() == FaultEvent.Phase.END && e.endMillis() != null) {
                TruthFault f = byId.get(e.id());
                if (f != null) {
                    byId.put(e.id(), new TruthFault(f.id(), f.type(), f.target(), f.onsetMillis(), e.endMillis()));
                }
            }
        }
        List<TruthFault> faults = new ArrayList<>(byId.values());
        faults.sort(Comparator.comparingLong(TruthFault::onsetMillis));
        return faults;
    }

    /** The open events, once per anomaly id (a close alone stands for its anomaly when its open is missing). */
    public static List<Anomaly> opens(Collection<Anomaly> events) {
        Map<String, Anomaly> byId = new LinkedHashMap<>();
        for (Anomaly a : events) {
            Anomaly seen = byId.get(a.id());
            if (seen == null || (seen.state() != a.state() && a.isOpen())) {
                byId.put(a.id(), a);
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * Scores a run.
     *
     * @param faults       the ground truth
     * @param anomalies    the anomaly events read back (open and close; each anomaly counts once)
     * @param chips        chips in the run
     * @param runEndMillis end of the run (exclusive): the end of faults still active
     * @param runMillis    length of the run, for the chip-hours
     * @param graceMillis  how long after a fault's end an anomaly may still start and match it
     */
    public static Report score(List<TruthFault> faults, Collection<Anomaly> anomalies, int chips, long runEndMillis,
                               long runMillis, long graceMillis) {
        List<Anomaly> opens = opens(anomalies);
        Map<Anomaly, Boolean> matched = new LinkedHashMap<>();
        opens.forEach(a -> matched.put(a, false));
        Map<TruthFault, Long> latency = new LinkedHashMap<>();
        Map<TruthFault, Boolean> alerted = new LinkedHashMap<>();
        for (TruthFault f : faults) {
            long end = (f.endMillis() != null ? f.endMillis() : runEndMillis) + graceMillis;
            Optional<AnomalyType> type = AnomalyType.fromLabel(f.type().label());
            for (Anomaly a : opens) {
                boolean inWindow = a.startMillis() >= f.onsetMillis() && a.startMillis() <= end;
                if (!inWindow || !covers(a, f.target())) {
                    continue;
                }
                if (type.isEmpty()) {
                    alerted.put(f, true);
                } else if (a.type() == type.get()) {
                    matched.put(a, true);
                    long l = a.eventMillis() - f.onsetMillis();
                    latency.merge(f, l, Math::min);
                }
            }
        }

        Map<String, TypeScore> types = new LinkedHashMap<>();
        for (FaultType ft : FaultType.values()) {
            List<TruthFault> ofType = faults.stream().filter(f -> f.type() == ft).toList();
            Optional<AnomalyType> at = AnomalyType.fromLabel(ft.label());
            List<Anomaly> raised = at.isEmpty() ? List.of() : opens.stream().filter(a -> a.type() == at.get()).toList();
            if (ofType.isEmpty() && raised.isEmpty()) {
                continue;
            }
            if (at.isEmpty()) {
                int alerts = (int) ofType.stream().filter(f -> alerted.getOrDefault(f, false)).count();
                types.put(ft.label(), new TypeScore(ft.label(), ofType.size(), 0, null, null, null, null, null, 0,
                        alerts));
                continue;
            }
            int detected = (int) ofType.stream().filter(latency::containsKey).count();
            long truePositives = raised.stream().filter(matched::get).count();
            Double precision = raised.isEmpty() ? null : truePositives / (double) raised.size();
            Double recall = ofType.isEmpty() ? null : detected / (double) ofType.size();
            Double f1 = null;
            if (precision != null && recall != null) {
                f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            } else if (!ofType.isEmpty() || !raised.isEmpty()) {
                f1 = 0.0;
            }
            List<Long> latencies = ofType.stream().filter(latency::containsKey).map(latency::get).sorted().toList();
            types.put(ft.label(), new TypeScore(ft.label(), ofType.size(), detected, precision, recall, f1,
                    percentileSeconds(latencies, 50), percentileSeconds(latencies, 95), raised.size(), null));
        }
        // Anomaly types without a fault type of the same name (none today) still count as false positives.
        List<String> unmatched = new ArrayList<>();
        for (Map.Entry<Anomaly, Boolean> e : matched.entrySet()) {
            if (!e.getValue()) {
                unmatched.add(e.getKey().id() + " (" + e.getKey().detail() + ")");
            }
        }
        List<String> missed = faults.stream()
                .filter(f -> AnomalyType.fromLabel(f.type().label()).isPresent() && !latency.containsKey(f))
                .map(f -> f.id() + " " + f.type().label() + " " + f.target()).toList();
        List<String> detections = faults.stream().filter(latency::containsKey)
                .map(f -> f.id() + " " + f.type().label() + " " + f.target() + " after "
                        + latency.get(f) / 1000.0 + " s").toList();
        double chipHours = chips * (runMillis / 3_600_000.0);
        double perThousand = chipHours == 0 ? 0 : unmatched.size() / chipHours * 1000;
        return new Report(types, unmatched.size(), perThousand, opens.size(), missed, unmatched, detections);
    }

    /** Whether the anomaly's entity is the target or contains it. */
    static boolean covers(Anomaly a, String target) {
        return a.entity().equals(target) || a.affected().contains(target) || target.startsWith(a.entity() + "-");
    }

    /** Nearest-rank percentile of sorted millisecond values, in seconds; null for none. */
    static Double percentileSeconds(List<Long> sortedMillis, int percentile) {
        if (sortedMillis.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sortedMillis.size());
        return sortedMillis.get(Math.max(0, rank - 1)) / 1000.0;
    }
}
