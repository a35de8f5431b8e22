package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

class DropDuplicateSamplesTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipSample> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(Duration.ZERO);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void dropsASecondSampleOfTheSameChipAndTimestamp() throws Exception {
        ChipSample first = sample("c1", 12_000L, "job", 10, 40, 100);
        ChipSample retry = sample("c1", 12_000L, "job", 10, 40, 100);
        ChipSample next = sample("c1", 13_000L, "job", 20, 41, 110);

        process(first);
        process(retry);
        process(next);

        assertThat(harness.extractOutputValues()).containsExactly(first, next);
    }

    @Test
    void keepsSamplesOfOtherChipsAtTheSameTimestamp() throws Exception {
        ChipSample c1 = sample("c1", 12_000L, null, 10, 40, 100);
        ChipSample c2 = sample("c2", 12_000L, null, 10, 40, 100);

        process(c1);
        process(c2);

        assertThat(harness.extractOutputValues()).containsExactly(c1, c2);
    }

    @Test
    void forgetsTimestampsOnceTheWatermarkPassesTheirWindow() throws Exception {
        process(sample("c1", 10_000L, null, 1, 1, 1));
        process(sample("c1", 19_999L, null, 1, 1, 1));
        process(sample("c1", 20_000L, null, 1, 1, 1));
        process(sample("c2", 15_000L, null, 1, 1, 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        // One timer per chip and window: c1 [10 s, 20 s), c1 [20 s, 30 s), c2 [10 s, 20 s).
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);
        assertThat(harness.extractOutputValues()).hasSize(4);

        // The window [10 s, 20 s) accepts samples until the watermark reaches its last millisecond, so until
        // then its timestamps are remembered and a duplicate is still dropped.
        harness.processWatermark(19_998L);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);
        process(sample("c1", 19_999L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(4);

        harness.processWatermark(19_999L);
        // c2 has nothing left; c1 keeps only 20 000.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(29_999L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsTimestampsLongerWithAllowedLateness() throws Exception {
        harness.close();
        harness = harness(Duration.ofSeconds(5));
        process(sample("c1", 10_000L, null, 1, 1, 1));

        harness.processWatermark(24_998L);
        process(sample("c1", 10_000L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(24_999L);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void lateSampleIsPassedOnAndItsStateIsCleanedAtTheNextWatermark() throws Exception {
        harness.processWatermark(50_000L);

        process(sample("c1", 10_000L, null, 1, 1, 1));
        process(sample("c1", 10_000L, null, 1, 1, 1));

        // Passed on once (the window drops it as late); remembered until the next watermark.
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.processWatermark(50_001L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void forgetAtIsTheLastMillisecondOfTheWindowPlusLateness() {
        DropDuplicateSamples f = new DropDuplicateSamples(Duration.ofSeconds(10), Duration.ofMillis(500));
        assertThat(f.forgetAt(10_000L)).isEqualTo(20_499L);
        assertThat(f.forgetAt(19_999L)).isEqualTo(20_499L);
        assertThat(f.forgetAt(20_000L)).isEqualTo(30_499L);
        assertThat(f.forgetAt(-1L)).isEqualTo(499L);
    }

    private void process(ChipSample s) throws Exception {
        harness.processElement(s, s.timestampMillis());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipSample> harness(Duration lateness)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DropDuplicateSamples(Duration.ofSeconds(10), lateness), ChipSample::chip, Types.STRING);
    }
}
