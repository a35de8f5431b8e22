package io.chipwatch.alerting.source;

import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's silence in processing time, check by check, on a hand-moved clock. */
class SampleFlowWatchTest {
    private static final long T0 = 1_767_225_600_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final AtomicLong newest = new AtomicLong(T0);
    private final List<Anomaly> ingested = new ArrayList<>();

    private SampleFlowWatch watch(Optional<Anomaly> adopted) {
        return new SampleFlowWatch(() -> newest.get() < 0 ? OptionalLong.empty() : OptionalLong.of(newest.get()),
                "chip-samples", Duration.ofSeconds(10), batch -> {
                    ingested.addAll(batch);
                    return CompletableFuture.completedFuture(null);
                }, adopted, clock);
    }

    @Test
    void opensOnceAfterTheLimitNamingTheCollectorAndClosesWhenASampleIsWritten() {
        SampleFlowWatch w = watch(Optional.empty());
        clock.advance(Duration.ofMillis(9_999));
        w.check();
        assertThat(ingested).as("9.999 s of silence").isEmpty();

        clock.advance(Duration.ofMillis(1));
        w.check();
        clock.advance(Duration.ofSeconds(5));
        w.check();
        assertThat(ingested).hasSize(1);
        Anomaly open = ingested.get(0);
        assertThat(open.type()).isEqualTo(AnomalyType.TELEMETRY_SILENT);
        assertThat(open.scope()).isEqualTo(Scope.SOURCE);
        assertThat(open.entity()).isEqualTo("collector");
        assertThat(open.startMillis()).as("the newest record's time").isEqualTo(T0);
        assertThat(open.id()).isEqualTo("telemetry_silent:collector:" + T0);
        assertThat(open.value()).isEqualTo(10.0);
        assertThat(open.detail()).contains("no sample written to chip-samples for 10.0 s (limit 10.0 s)");

        newest.set(T0 + 16_000);
        w.check();
        w.check();
        assertThat(ingested).hasSize(2);
        assertThat(ingested.get(1).state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(ingested.get(1).id()).isEqualTo(open.id());
        assertThat(ingested.get(1).endMillis()).isEqualTo(T0 + 16_000);
    }

    /**
     * Kafka away for 30 s (StackPathChaosIT's kill -9 of the broker): the collector holds its samples meanwhile, so
     * it gets the whole limit from Kafka's return before it is called silent; one that stays silent still pages.
     */
    @Test
    void aKafkaOutageIsNotTheCollectorsSilenceUntilKafkaHasAnsweredForTheLimit() {
        AtomicLong failing = new AtomicLong(1);
        SampleFlowWatch w = new SampleFlowWatch(() -> {
            if (failing.get() == 1) {
                throw new IllegalStateException("Timed out waiting for a node assignment");
            }
            return OptionalLong.of(newest.get());
        }, "chip-samples", Duration.ofSeconds(10), batch -> {
            ingested.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, Optional.empty(), clock);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            w.check();
        }
        failing.set(0);
        clock.advance(Duration.ofSeconds(1));
        w.check();
        assertThat(ingested).as("newest record 31 s old, but Kafka answered again only now").isEmpty();
        clock.advance(Duration.ofMillis(9_999));
        w.check();
        assertThat(ingested).as("9.999 s since Kafka's return").isEmpty();
        clock.advance(Duration.ofMillis(1));
        w.check();
        assertThat(ingested).singleElement().satisfies(a -> {
            assertThat(a.startMillis()).as("still the newest record's time").isEqualTo(T0);
            assertThat(a.value()).isEqualTo(41.0);
        });
    }

    @Test
    void aTopicWithoutRecordsIsSilentSinceTheWatchStartedAfterTheFirstRecordGrace() {
        newest.set(-1);
        SampleFlowWatch w = watch(Optional.empty());
        clock.advance(Duration.ofSeconds(10));
        w.check();
        assertThat(ingested).as("a fresh stack's collector may start more than 10 s after this service").isEmpty();
        clock.advance(Duration.ofSeconds(50));
        w.check();
        assertThat(ingested).singleElement().satisfies(a -> {
            assertThat(a.startMillis()).isEqualTo(T0);
            assertThat(a.detail()).isEqualTo("no sample written to chip-samples for 60.0 s (limit 60.0 s): the "
                    + "collector is down or cannot reach Kafka (the topic has no record)");
        });
    }

    /**
     * {@code down}, then {@code up} a minute later: the newest record is from before the down, and this service starts
     * before the collector (which on a loaded machine starts more than the limit later). No page for that; a collector
     * that never comes back pages after the first-record grace, from the silence's real start.
     */
    @Test
    void aStackStartedAgainIsNotSilentUntilTheFirstRecordGraceAfterThisServiceStarted() {
        newest.set(T0 - 65_000);
        SampleFlowWatch w = watch(Optional.empty());
        clock.advance(Duration.ofSeconds(15));
        w.check();
        assertThat(ingested).as("the collector is still starting").isEmpty();
        clock.advance(Duration.ofSeconds(45));
        w.check();
        assertThat(ingested).singleElement().satisfies(a -> {
            assertThat(a.startMillis()).as("the newest record's time").isEqualTo(T0 - 65_000);
            assertThat(a.detail()).isEqualTo("no sample written to chip-samples for 125.0 s (limit 60.0 s): the "
                    + "collector is down or cannot reach Kafka (none since this service started)");
        });

        // Once the collector has written since this service started, the usual limit holds.
        SampleFlowWatch again = watch(Optional.empty());
        ingested.clear();
        newest.set(clock.millis() + 1_000);
        clock.advance(Duration.ofSeconds(11));
        again.check();
        assertThat(ingested).as("10 s after a record written since the start").hasSize(1);
    }

    @Test
    void anOutageOpenBeforeARestartIsAdoptedAndClosedWhenDataFlows() {
        Optional<Anomaly> adopted = SampleFlowWatch.adopt(List.of("chip_down:x:1", "telemetry_silent:collector:" + T0),
                T0 + 10_000);
        assertThat(adopted).hasValueSatisfying(a -> assertThat(a.startMillis()).isEqualTo(T0));
        SampleFlowWatch w = watch(adopted);
        clock.advance(Duration.ofSeconds(30));
        w.check();
        assertThat(ingested).as("still silent: the engine holds it open already").isEmpty();

        newest.set(T0 + 31_000);
        w.check();
        assertThat(ingested).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("telemetry_silent:collector:" + T0);
            assertThat(a.state()).isEqualTo(AnomalyState.CLOSED);
        });
    }

    @Test
    void whenKafkaDoesNotAnswerNothingChanges() {
        SampleFlowWatch w = new SampleFlowWatch(() -> {
            throw new IllegalStateException("no broker");
        }, "chip-samples", Duration.ofSeconds(10), batch -> {
            ingested.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, Optional.empty(), clock);
        clock.advance(Duration.ofMinutes(5));
        w.check();
        assertThat(ingested).isEmpty();
        assertThat(w.open()).isEmpty();
    }
}
