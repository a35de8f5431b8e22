package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.LinkWindow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkDetailTest {
    private final LinkDetail detail = new LinkDetail(60_000L, 4.0);

    @Test
    void everyLinkIsKeptInTheWindowsThatStartOnTheInterval() {
        assertThat(detail.keep(intra(120_000L, 2.0, 10), 10)).isTrue();
        assertThat(detail.keep(intra(-60_000L, 2.0, 10), 10)).isTrue();
        assertThat(detail.keep(intra(130_000L, 2.0, 10), 10)).isFalse();
        assertThat(detail.keep(intra(170_000L, 2.0, 10), 10)).isFalse();
    }

    @Test
    void anUnhealthyLinkIsKeptInEveryWindow() {
        // intra: 4 x 1.9 = 7.6 µs; fabric: 4 x 3.8 = 15.2 µs
        assertThat(detail.keep(intra(130_000L, 7.59, 10), 10)).isFalse();
        assertThat(detail.keep(intra(130_000L, 7.6, 10), 10)).isTrue();
        assertThat(detail.keep(fabric(130_000L, 15.19), 10)).isFalse();
        assertThat(detail.keep(fabric(130_000L, 15.2), 10)).isTrue();
        // a communication phase (x2.6 of a slow 2.1 µs link) is not unhealthy
        assertThat(detail.unhealthy(intra(130_000L, 2.1 * 2.6 * 1.1, 10), 10)).isFalse();
    }

    @Test
    void aLinkWithMissingReadingsIsKeptInEveryWindow() {
        assertThat(detail.keep(intra(130_000L, 2.0, 9), 10)).isTrue();
        assertThat(detail.keep(intra(130_000L, 2.0, 10), 10)).isFalse();
    }

    @Test
    void rejectsIntervalsAndRatiosThatMakeNoSense() {
        assertThatThrownBy(() -> new LinkDetail(0, 4.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkDetail(60_000L, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkDetail(60_000L, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    private static LinkWindow intra(long windowStart, double max, long samples) {
        return new LinkWindow("l1", "c1", "c2", "n1", "r1", "p1", "intra", windowStart, 2.0, max, max, samples);
    }

    private static LinkWindow fabric(long windowStart, double max) {
        return new LinkWindow("l2", "c1", "sw", "n1", "r1", "p1", "fabric", windowStart, 4.0, max, max, 10);
    }
}
