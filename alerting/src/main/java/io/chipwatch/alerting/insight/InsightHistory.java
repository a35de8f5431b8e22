package io.chipwatch.alerting.insight;

import java.util.List;
import java.util.Map;

/**
 * The history the insights read: InfluxDB ({@link InfluxInsights}) or fixed data in tests. Every range is
 * {@code [fromMillis, toMillis)}.
 */
public interface InsightHistory {

    /** Open and close events of the {@code anomaly} measurement in the range, of every type or of {@code types}. */
    List<AnomalyEvent> anomalies(long fromMillis, long toMillis, List<String> types);

    /** Each job's size: the largest {@code chips} of its {@code job} points in the range. */
    Map<String, Integer> jobChips(long fromMillis, long toMillis);

    /** Every link's hourly median latency in the range, oldest first per link. */
    Map<String, List<LinkHour>> linkHours(long fromMillis, long toMillis);
}
