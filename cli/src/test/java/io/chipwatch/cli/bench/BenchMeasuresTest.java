package io.chipwatch.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic and parsing behind {@code bench}'s figures. */
class BenchMeasuresTest {

    @Test
    void cpuTicksAreUserSystemAndWaitedForChildrenCountedAfterTheCommandName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1200 300 40 5 20 0 30 0 99 0";
        assertThat(ProcessMeter.cpuTicks(stat)).isEqualTo(1200 + 300 + 40 + 5);
    }

    @Test
    void peakRssIsVmHwm() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100000 kB\n";
        assertThat(ProcessMeter.peakRssKb(status)).isEqualTo(123456);
        assertThat(ProcessMeter.peakRssKb("Name:\tkthreadd\n")).isZero();
    }

    @Test
    void readsThisJvmFromProc() {
        ProcessMeter.Reading r = ProcessMeter.read(ProcessHandle.current().pid()).orElseThrow();
        assertThat(r.cpuSeconds()).isPositive();
        assertThat(r.peakRssBytes()).isGreaterThan(1 << 20);
        assertThat(ProcessMeter.read(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void tenThousandChipsAre110000ValuesATick() {
        // 3 values a chip and 8 link ends (7 to the node's other chips, 1 to the rack switch).
        assertThat(PipelinePhase.valuesPerTick(10_000)).isEqualTo(110_000);
        assertThat(PipelinePhase.valuesPerTick(8)).isEqualTo(88);
    }

    @Test
    void lagGrowsOnlyByMoreThanFiveSecondsOfRecords() {
        // 1,000 records a second: the end may exceed the start by 5,000 records.
        BenchReport.Lag steady = PipelinePhase.lag(List.of(2000L, 9000L, 2000L, 2500L, 8000L, 3000L), 1000);
        assertThat(steady.growing()).isFalse();
        assertThat(steady.startRecords()).isEqualTo(9000);
        assertThat(steady.endRecords()).isEqualTo(8000);
        assertThat(steady.endSeconds()).isEqualTo(8.0);

        BenchReport.Lag behind = PipelinePhase.lag(List.of(2000L, 3000L, 9000L, 12000L, 15000L, 20000L), 1000);
        assertThat(behind.growing()).isTrue();

        assertThat(PipelinePhase.lag(List.of(-1L, 100L, 100L), 1000).growing())
                .as("a group that never committed is not keeping up").isTrue();
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> ages = List.of(5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(PipelinePhase.percentile(ages, 50)).isEqualTo(5.0);
        assertThat(PipelinePhase.percentile(ages, 99)).isEqualTo(10.0);
        assertThat(PipelinePhase.percentile(List.of(), 50)).isNull();
        assertThat(PipelinePhase.perMillion(3.0, 2_000_000)).isCloseTo(1.5, within(1e-9));
        assertThat(PipelinePhase.perMillion(3.0, 0)).isZero();
    }

    @Test
    void prometheusSamplesAppendedSumsEverySampleType() {
        String exposition = """
                # HELP prometheus_tsdb_head_samples_appended_total Total number of appended samples.
                # TYPE prometheus_tsdb_head_samples_appended_total counter
                prometheus_tsdb_head_samples_appended_total{type="float"} 1.234567e+06
                prometheus_tsdb_head_samples_appended_total{type="histogram"} 3
                prometheus_tsdb_head_series 110005
                """;
        assertThat(PeerPhase.parseSamplesAppended(exposition)).isEqualTo(1_234_570);
        assertThatThrownBy(() -> PeerPhase.parseSamplesAppended("up 1\n"))
                .hasMessageContaining("prometheus_tsdb_head_samples_appended_total");
    }
}
