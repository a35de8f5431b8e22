package io.chipwatch.alerting.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkHourCacheTest {
    private static final long H = 3_600_000L;
    private static final long T = 1_767_225_600_000L;

    /** Reads: the hour each query asked for; links "a" (1 µs + hour/100) and, from hour 5, "b" (2 µs). */
    private final List<Long> queried = new ArrayList<>();
    private final InsightHistory source = new InsightHistory() {
        @Override
        public List<AnomalyEvent> anomalies(long from, long to, List<String> types) {
            return List.of();
        }

        @Override
        public Map<String, Integer> jobChips(long from, long to) {
            return Map.of();
        }

        @Override
        public Map<String, List<LinkHour>> linkHours(long from, long to) {
            queried.add(from);
            assertThat(to - from).as("one hour per query").isEqualTo(H);
            int hour = (int) ((from - T) / H);
            return hour < 5 ? Map.of("a", List.of(new LinkHour("a", from, 1 + hour / 100.0)))
                    : Map.of("a", List.of(new LinkHour("a", from, 1 + hour / 100.0)),
                    "b", List.of(new LinkHour("b", from, 2.0)));
        }
    };

    @Test
    void readsEachCompletedHourOnceNewestFirstAtMostNPerCall() {
        LinkHourCache cache = new LinkHourCache(source, 4);
        // At T + 10 h 30 min the completed hours of [T, now) are 0..9; the first call reads 9, 8, 7, 6.
        Map<String, List<LinkHour>> first = cache.hours(T, T + 10 * H + 30 * 60_000);
        assertThat(queried).containsExactly(T + 9 * H, T + 8 * H, T + 7 * H, T + 6 * H);
        assertThat(first.get("a")).extracting(LinkHour::hourMillis)
                .containsExactly(T + 6 * H, T + 7 * H, T + 8 * H, T + 9 * H);
        assertThat(first.get("b")).extracting(LinkHour::medianUs).containsExactly(2.0, 2.0, 2.0, 2.0);

        queried.clear();
        Map<String, List<LinkHour>> second = cache.hours(T, T + 10 * H + 45 * 60_000);
        assertThat(queried).containsExactly(T + 5 * H, T + 4 * H, T + 3 * H, T + 2 * H);
        assertThat(second.get("a")).hasSize(8).first().satisfies(h -> {
            assertThat(h.hourMillis()).isEqualTo(T + 2 * H);
            assertThat(h.medianUs()).isEqualTo(1.02);
        });
        assertThat(second.get("b")).as("b appeared at hour 5").hasSize(5);

        queried.clear();
        cache.hours(T, T + 11 * H);
        assertThat(queried).as("hour 10 is now complete; 1 and 0 are still missing")
                .containsExactly(T + 10 * H, T + H, T);
        assertThat(cache.size()).isEqualTo(11);

        queried.clear();
        Map<String, List<LinkHour>> moved = cache.hours(T + 3 * H, T + 11 * H);
        assertThat(queried).as("nothing new to read").isEmpty();
        assertThat(cache.size()).as("hours before the history window are dropped").isEqualTo(8);
        assertThat(moved.get("a")).extracting(LinkHour::hourMillis).first().isEqualTo(T + 3 * H);
    }
}
