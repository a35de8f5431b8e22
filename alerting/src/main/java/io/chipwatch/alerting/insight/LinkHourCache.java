package io.chipwatch.alerting.insight;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every link's hourly median latency over the link wear history, read from the {@link InsightHistory} one completed
 * hour at a time and kept: each check asks InfluxDB for the hours it does not have yet (one query per hour, newest
 * first), not for the whole history. At 10,000 chips the {@code link} measurement holds about 2.4 million points an
 * hour, so 48 hours read at once would be over 100 million points, every hour; this way a check reads one hour's
 * worth, once. Hours are kept as one {@code double[]} per hour indexed by link (about 15 MB for 40,000 links over
 * 48 hours). Not thread-safe (the insight check's thread).
 */
final class LinkHourCache {
    private static final long HOUR = 3_600_000L;

    private final InsightHistory source;
    private final int maxFetches;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> links = new ArrayList<>();
    private final TreeMap<Long, double[]> hours = new TreeMap<>();

    /**
     * @param source     where hours are read from
     * @param maxFetches how many missing hours one call reads at most (a first start fills the history over a few
     *                   checks instead of in one burst)
     */
    LinkHourCache(InsightHistory source, int maxFetches) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxFetches < 1) {
            throw new IllegalArgumentException("maxFetches must be at least 1, was " + maxFetches);
        }
        this.maxFetches = maxFetches;
    }

    /** The completed hours that start in {@code [fromMillis, nowMillis)}, per link, oldest first. */
    Map<String, List<LinkHour>> hours(long fromMillis, long nowMillis) {
        long first = Math.floorDiv(fromMillis + HOUR - 1, HOUR) * HOUR;
        long lastComplete = Math.floorDiv(nowMillis, HOUR) * HOUR - HOUR;
        hours.headMap(first).clear();
        int fetched = 0;
        for (long h = lastComplete; h >= first && fetched < maxFetches; h -= HOUR) {
            if (!hours.containsKey(h)) {
                hours.put(h, store(source.linkHours(h, h + HOUR)));
                fetched++;
            }
        }
        Map<String, List<LinkHour>> out = new LinkedHashMap<>();
        for (Map.Entry<Long, double[]> e : hours.entrySet()) {
            double[] values = e.getValue();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isNaN(values[i])) {
                    String link = links.get(i);
                    out.computeIfAbsent(link, l -> new ArrayList<>()).add(new LinkHour(link, e.getKey(), values[i]));
                }
            }
        }
        return out;
    }

    /** Hours held now. */
    int size() {
        return hours.size();
    }

    private double[] store(Map<String, List<LinkHour>> hour) {
        for (String link : new TreeMap<>(hour).keySet()) {
            index.computeIfAbsent(link, l -> {
                links.add(l);
                return links.size() - 1;
            });
        }
        double[] values = new double[links.size()];
        Arrays.fill(values, Double.NaN);
        hour.forEach((link, list) -> {
            if (!list.isEmpty()) {
                values[index.get(link)] = list.get(list.size() - 1).medianUs();
            }
        });
        return values;
    }
}
