package io.chipwatch.alerting.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One delivery per receiver and group; a flush during one is sent after it. */
class InFlightTest {
    private final InFlight inFlight = new InFlight();

    @Test
    void tracksEachReceiverAndGroupOnItsOwn() {
        inFlight.started("webhook-1", "g1");
        assertThat(inFlight.isRunning("webhook-1", "g1")).isTrue();
        assertThat(inFlight.isRunning("webhook-1", "g2")).isFalse();
        assertThat(inFlight.isRunning("alertmanager", "g1")).isFalse();
        assertThat(inFlight.size()).isEqualTo(1);
        assertThat(inFlight.ended("webhook-1", "g1")).as("no flush came meanwhile").isFalse();
        assertThat(inFlight.isEmpty()).isTrue();
    }

    @Test
    void aFlushDuringADeliveryIsReportedOnceWhenItEnds() {
        inFlight.started("webhook-1", "g1");
        inFlight.flushedMeanwhile("webhook-1", "g1");
        inFlight.flushedMeanwhile("webhook-1", "g1");
        assertThat(inFlight.ended("webhook-1", "g1")).isTrue();
        inFlight.started("webhook-1", "g1");
        assertThat(inFlight.ended("webhook-1", "g1")).as("already reported").isFalse();
    }
}
