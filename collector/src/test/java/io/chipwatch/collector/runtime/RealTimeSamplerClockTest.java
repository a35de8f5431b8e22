package io.chipwatch.collector.runtime;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampler on a fake clock: ticks follow the monotonic clock, wall-clock steps are detected and counted. */
class RealTimeSamplerClockTest {
    private static final long INTERVAL = 1_000;
    private static final long START = 1_800_000_000_000L;

    /** Both clocks advance together while the sampler waits; the test steps the wall clock alone. */
    private static final class FakeClock implements SamplerClock {
        long nanos = 42_000_000_000L;
        long wall = START;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long wallMillis() {
            return wall;
        }

        @Override
        public void await(Object lock, long waitNanos) {
            nanos += waitNanos;
            wall += waitNanos / 1_000_000;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final List<Long> timestamps = new ArrayList<>();

    /** Runs {@code ticks} ticks; {@code atTick} steps the wall clock by {@code step} ms after that tick. */
    private RealTimeSampler run(int ticks, int[] atTick, long[] step) {
        ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(8).sampleIntervalMillis(INTERVAL)
                .startMillis(START).build());
        RealTimeSampler[] sampler = new RealTimeSampler[1];
        sampler[0] = new RealTimeSampler(sim, s -> { }, (ts, nanos, skipped) -> {
            timestamps.add(ts);
            for (int i = 0; i < atTick.length; i++) {
                if (timestamps.size() == atTick[i]) {
                    clock.wall += step[i];
                }
            }
            if (timestamps.size() == ticks) {
                sampler[0].stop();
            }
        }, clock);
        sampler[0].run();
        return sampler[0];
    }

    @Test
    void aStepBackNeitherStallsTheSamplingNorRepeatsATimestamp() {
        long nanos0 = clock.nanos;
        RealTimeSampler sampler = run(10, new int[]{3}, new long[]{-30_000});

        assertThat(timestamps).hasSize(10);
        for (int i = 0; i < timestamps.size(); i++) {
            assertThat(timestamps.get(i)).isEqualTo(START + i * INTERVAL);
        }
        assertThat(clock.nanos - nanos0).as("10 ticks took 9 intervals of monotonic time, no stall")
                .isEqualTo(9 * INTERVAL * 1_000_000);
        assertThat(sampler.wallClockSteps()).isEqualTo(1);
        assertThat(sampler.wallClockLeadMillis()).isEqualTo(30_000);
        assertThat(sampler.skippedTicks()).isZero();
    }

    @Test
    void aStepForwardIsFollowedTheSlotsInBetweenSkipped() {
        RealTimeSampler sampler = run(6, new int[]{3}, new long[]{30_000});

        // The tick that was due runs (late, with its own timestamp), then the sampler skips to the stepped clock.
        assertThat(timestamps).containsExactly(START, START + INTERVAL, START + 2 * INTERVAL, START + 3 * INTERVAL,
                START + 32 * INTERVAL, START + 33 * INTERVAL);
        assertThat(sampler.wallClockSteps()).isEqualTo(1);
        assertThat(sampler.wallClockLeadMillis()).isZero();
        assertThat(sampler.skippedTicks()).isEqualTo(28);
    }

    @Test
    void aStepForwardAfterAStepBackUsesTheLeadAndNeverGoesBack() {
        RealTimeSampler sampler = run(8, new int[]{2, 4}, new long[]{-10_000, 4_000});

        for (int i = 1; i < timestamps.size(); i++) {
            assertThat(timestamps.get(i)).as("tick %d", i).isEqualTo(timestamps.get(i - 1) + INTERVAL);
        }
        assertThat(sampler.wallClockSteps()).isEqualTo(2);
        assertThat(sampler.wallClockLeadMillis()).isEqualTo(6_000);
    }

    @Test
    void theCollectorsMetricsShowTheStepsAndTheLead() throws Exception {
        RealTimeSampler sampler = run(6, new int[]{3}, new long[]{-5_000});
        CollectorMetrics metrics = new CollectorMetrics();
        metrics.bind(sampler);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("chipwatch_collector_wall_clock_steps_total 1.0")
                .contains("chipwatch_collector_wall_clock_lead_seconds 5.0");
    }

    @Test
    void aSmallWobbleOfTheWallClockIsNoStep() {
        RealTimeSampler sampler = run(5, new int[]{2}, new long[]{-RealTimeSampler.STEP_TOLERANCE_MILLIS});
        assertThat(sampler.wallClockSteps()).isZero();
        assertThat(timestamps).hasSize(5);
    }
}
