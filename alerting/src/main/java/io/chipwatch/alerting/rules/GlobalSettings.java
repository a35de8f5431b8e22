package io.chipwatch.alerting.rules;

import java.time.Duration;

/**
 * @param grafanaUrl        base of the dashboard links ({@code {{grafana_url}}})
 * @param runbookBaseUrl    base of the runbook links ({@code {{runbook_base_url}}})
 * @param drilldownPadding  time shown before the start and after the end of a problem in dashboard links
 * @param resolvedRetention how long resolved alerts stay in the history
 * @param historyLimit      at most this many resolved alerts in the history
 */
public record GlobalSettings(String grafanaUrl, String runbookBaseUrl, Duration drilldownPadding,
                             Duration resolvedRetention, int historyLimit) {
}
