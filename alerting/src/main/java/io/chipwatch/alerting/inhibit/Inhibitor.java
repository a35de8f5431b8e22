package io.chipwatch.alerting.inhibit;

import io.chipwatch.alerting.alert.Alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers "which firing alerts inhibit this one?" under the {@link InhibitRule}s. The firing alerts come from a
 * supplier (the alert store); the index over them is rebuilt when {@link #invalidate()} says they changed.
 * Not thread-safe (the engine's thread owns it).
 */
public final class Inhibitor {
    private final List<InhibitRule> rules;
    private final Supplier<? extends Iterable<Alert>> firing;
    /** Per rule: equal-label values -> fingerprints of firing source alerts. */
    private List<Map<List<String>, List<String>>> index;

    public Inhibitor(List<InhibitRule> rules, Supplier<? extends Iterable<Alert>> firingAlerts) {
        this.rules = List.copyOf(rules);
        this.firing = firingAlerts;
    }

    /** The set of firing alerts changed: the next question rebuilds the index. */
    public void invalidate() {
        index = null;
    }

    public List<InhibitRule> rules() {
        return rules;
    }

    /** Fingerprints of the firing alerts that inhibit {@code alert}; empty when none. */
    public List<String> inhibitedBy(Alert alert) {
        if (rules.isEmpty()) {
            return List.of();
        }
        if (index == null) {
            rebuild();
        }
        List<String> by = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            InhibitRule rule = rules.get(i);
            if (!rule.matchesTarget(alert.labels())) {
                continue;
            }
            for (String source : index.get(i).getOrDefault(rule.equalValues(alert.labels()), List.of())) {
                if (!source.equals(alert.fingerprint()) && !by.contains(source)) {
                    by.add(source);
                }
            }
        }
        return by;
    }

    public boolean isInhibited(Alert alert) {
        return !inhibitedBy(alert).isEmpty();
    }

    private void rebuild() {
        List<Map<List<String>, List<String>>> built = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            built.add(new HashMap<>());
        }
        for (Alert a : firing.get()) {
            if (!a.isFiring()) {
                continue;
            }
            for (int i = 0; i < rules.size(); i++) {
                InhibitRule rule = rules.get(i);
                if (rule.matchesSource(a.labels())) {
                    built.get(i).computeIfAbsent(rule.equalValues(a.labels()), k -> new ArrayList<>())
                            .add(a.fingerprint());
                }
            }
        }
        index = built;
    }
}
