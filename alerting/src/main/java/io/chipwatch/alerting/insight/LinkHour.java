package io.chipwatch.alerting.insight;

/**
 * One link's latency over one hour: the median of the {@code latency_us_mean} of its {@code link} points in that
 * hour (CONTRACTS.md §3: a point a minute while healthy, both ends reporting).
 *
 * @param link       link id
 * @param hourMillis start of the hour, epoch ms
 * @param medianUs   median latency, µs
 */
public record LinkHour(String link, long hourMillis, double medianUs) {
}
