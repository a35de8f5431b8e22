package io.chipwatch.cli.capacity;

import io.chipwatch.cli.capacity.CapacityPlan.GroupBy;
import io.chipwatch.cli.capacity.CapacityPlan.Resolution;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityPlanTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:30:00Z");

    @Test
    void longRangesOfWholeHourStepsReadTheHourlyRollupsFromTheStartOfTheAlignedStep() {
        CapacityPlan p = CapacityPlan.of(GroupBy.pod, Duration.ofDays(30), Duration.ofDays(1), 5, NOW);
        assertThat(p.resolution()).isEqualTo(Resolution.HOUR);
        assertThat(p.source()).isEqualTo("capacity_3y.chip_1h");
        assertThat(p.start()).isEqualTo(Instant.parse("2026-02-08T00:00:00Z"));
        assertThat(p.end()).isEqualTo(NOW);
        assertThat(p.chipHoursPerPoint()).isEqualTo(1.0);
        long start = p.start().toEpochMilli(), end = NOW.toEpochMilli();
        assertThat(p.usageQuery()).isEqualTo("SELECT mean(\"util_mean\") AS \"util_mean\", count(\"util_mean\") AS "
                + "\"points\" FROM \"capacity_3y\".\"chip_1h\" WHERE time >= " + start + "ms AND time <= " + end
                + "ms GROUP BY time(1d), \"pod\" fill(none)");
        assertThat(p.idleQuery()).isEqualTo("SELECT count(\"util_mean\") AS \"idle_points\" FROM "
                + "\"capacity_3y\".\"chip_1h\" WHERE \"util_mean\" < 5 AND time >= " + start + "ms AND time <= " + end
                + "ms GROUP BY time(1d), \"pod\" fill(none)");
    }

    @Test
    void shortRangesAndStepsOfMinutesReadTheMinuteRollups() {
        CapacityPlan shortRange = CapacityPlan.of(GroupBy.job, Duration.ofHours(48), Duration.ofHours(1), 5, NOW);
        assertThat(shortRange.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(shortRange.source()).isEqualTo("capacity_90d.chip_1m");
        assertThat(shortRange.chipHoursPerPoint()).isEqualTo(1.0 / 60);
        assertThat(shortRange.idleQuery()).contains("GROUP BY time(1h), \"job\"");

        CapacityPlan minutes = CapacityPlan.of(GroupBy.rack, Duration.ofDays(7), Duration.ofMinutes(90), 2.5, NOW);
        assertThat(minutes.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(minutes.idleQuery()).contains("\"util_mean\" < 2.5 AND").contains("GROUP BY time(90m), \"rack\"");
        // 90-minute steps are aligned to multiples of 90 minutes since the epoch, as InfluxDB aligns them.
        assertThat(minutes.start().toEpochMilli() % Duration.ofMinutes(90).toMillis()).isZero();

        assertThat(CapacityPlan.of(GroupBy.node, Duration.ofDays(3), Duration.ofHours(6), 5, NOW).resolution())
                .isEqualTo(Resolution.HOUR);
    }

    @Test
    void optionsThatDoNotFitTogetherAreRejectedNamingTheOptions() {
        assertThatThrownBy(() -> CapacityPlan.of(GroupBy.pod, Duration.ofDays(1), Duration.ofDays(2), 5, NOW))
                .hasMessage("--step 2d is longer than --since 1d: use a --step of at most the --since");
        assertThatThrownBy(() -> CapacityPlan.of(GroupBy.pod, Duration.ofDays(120), Duration.ofMinutes(30), 5, NOW))
                .hasMessageStartingWith("--step 30m needs the 1-minute roll-ups, which are kept 90d")
                .hasMessageContaining("--since 90d or less");
        assertThatThrownBy(() -> CapacityPlan.of(GroupBy.pod, Duration.ofDays(90), Duration.ofMinutes(1), 5, NOW))
                .hasMessageStartingWith("--step 1m is too fine for --since 90d");
        assertThatThrownBy(() -> CapacityPlan.of(GroupBy.pod, Duration.ofDays(1), Duration.ofHours(1), 0, NOW))
                .hasMessageStartingWith("--idle-below must be a percentage");
        assertThatThrownBy(() -> CapacityPlan.of(GroupBy.pod, Duration.ofDays(1), Duration.ofHours(1), 101, NOW))
                .hasMessageStartingWith("--idle-below");
    }

    @Test
    void durationsAreWholeMinutesHoursDaysOrWeeks() {
        assertThat(CapacityDuration.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(CapacityDuration.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(CapacityDuration.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(CapacityDuration.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(CapacityDuration.parse(" 1D ")).isEqualTo(Duration.ofDays(1));
        for (String bad : new String[]{"", "30", "d", "10s", "1.5d", "-1d", "0h", "1d2h"}) {
            assertThatThrownBy(() -> CapacityDuration.parse(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
        assertThat(CapacityDuration.format(Duration.ofDays(14))).isEqualTo("2w");
        assertThat(CapacityDuration.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(CapacityDuration.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(CapacityDuration.format(Duration.ofMinutes(90))).isEqualTo("90m");
    }
}
