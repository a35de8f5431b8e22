package io.chipwatch.alerting.api;

/**
 * One alert name's share of the resolved history (the JSON of {@code /api/alerts/resolved/groups}): how many
 * resolved entries it has and the latest to end. The page lists these instead of every entry.
 */
public record ResolvedGroupView(String alertname, int count, AlertView latest) {
}
