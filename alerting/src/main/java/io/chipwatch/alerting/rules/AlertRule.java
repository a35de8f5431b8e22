package io.chipwatch.alerting.rules;

import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Severity;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How anomalies of one type become an alert.
 *
 * @param type        the anomaly type
 * @param alertname   the alert's name (label {@code alertname})
 * @param severity    the alert's severity; null: the anomaly's own
 * @param forDuration how long the anomaly must stay open before the alert fires (0: at once)
 * @param groupWait   the rule's own group_wait, overriding the route's; null: the route's
 * @param labels      extra labels (part of the alert's identity)
 * @param annotations templates of the annotations (summary, description, runbook_url, dashboard...)
 * @param configured  false for the built-in default of a type the rules file does not mention
 */
public record AlertRule(AnomalyType type, String alertname, Severity severity, Duration forDuration,
                        Duration groupWait, Map<String, String> labels, Map<String, Template> annotations,
                        boolean configured) {
    public AlertRule {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }
}
