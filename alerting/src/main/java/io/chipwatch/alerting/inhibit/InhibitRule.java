package io.chipwatch.alerting.inhibit;

import io.chipwatch.alerting.alert.Matcher;

import java.util.List;
import java.util.Map;

/**
 * Alertmanager's inhibition rule: while an alert matching all {@code source} matchers fires, alerts matching all
 * {@code target} matchers that have the same values for every label in {@code equal} are muted (an alert never
 * inhibits itself). E.g. a firing NodeDown mutes the chip alerts of the same {@code node}.
 */
public record InhibitRule(List<Matcher> source, List<Matcher> target, List<String> equal) {
    public InhibitRule {
        source = List.copyOf(source);
        target = List.copyOf(target);
        equal = List.copyOf(equal);
    }

    public boolean matchesSource(Map<String, String> labels) {
        return source.stream().allMatch(m -> m.matches(labels));
    }

    public boolean matchesTarget(Map<String, String> labels) {
        return target.stream().allMatch(m -> m.matches(labels));
    }

    /** The values of the {@code equal} labels (missing ones as ""), the key that source and target must share. */
    public List<String> equalValues(Map<String, String> labels) {
        return equal.stream().map(l -> labels.getOrDefault(l, "")).toList();
    }
}
