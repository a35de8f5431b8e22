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
    void remembersATimestampUntilTheWatermarkPassesItsWindowAndNeedsNoTimers() throws Exception {
        process(sample("c1", 10_000L, null, 1, 1, 1));
        process(sample("c1", 19_999L, null, 1, 1, 1));
        process(sample("c2", 15_000L, null, 1, 1, 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isZero();

        // The window [10 s, 20 s) accepts samples until the watermark reaches its last millisecond, so until
        // then its timestamps are remembered and a duplicate is still dropped.
        harness.processWatermark(19_998L);
        process(sample("c1", 19_999L, null, 1, 1, 1));
        process(sample("c1", 10_000L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(3);

        // Past it, the window drops them as late: the repeat is passed on for it to do so (and count it).
        harness.processWatermark(19_999L);
        process(sample("c1", 10_000L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(4);
    }

    @Test
    void forgetsWhatTheWatermarkPassedWhenTheChipsNextSampleArrives() {
        DropDuplicateSamples f = new DropDuplicateSamples(Duration.ofSeconds(10), Duration.ZERO);
        long[] times = {10_000L, 15_000L, 20_000L};

        assertThat(f.remember(times, 21_000L, 19_998L)).containsExactly(10_000L, 15_000L, 20_000L, 21_000L);
        assertThat(f.remember(times, 21_000L, 19_999L)).containsExactly(20_000L, 21_000L);
        assertThat(f.remember(times, 12_000L, 0L)).as("kept sorted").containsExactly(10_000L, 12_000L, 15_000L,
                20_000L);
        assertThat(f.remember(new long[0], 5_000L, 50_000L)).as("a late sample's own time, until the next")
                .containsExactly(5_000L);
        assertThat(f.remember(new long[]{5_000L}, 5_000L, 50_000L)).as("stored once").containsExactly(5_000L);
    }

    @Test
    void keepsTimestampsLongerWithAllowedLateness() throws Exception {
        harness.close();
        harness = harness(Duration.ofSeconds(5));
        process(sample("c1", 10_000L, null, 1, 1, 1));

        harness.processWatermark(24_998L);
        process(sample("c1", 10_000L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.processWatermark(24_999L);
        process(sample("c1", 10_000L, null, 1, 1, 1));
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void lateSamplesArePassedOnForTheWindowToDropAndCount() throws Exception {
        harness.processWatermark(50_000L);

        process(sample("c1", 10_000L, null, 1, 1, 1));
        process(sample("c1", 10_000L, null, 1, 1, 1));

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
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
