package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.CapacityPoint;
import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Resolution;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityPointToPointTest {
    private final CapacityPointToPoint converter = new CapacityPointToPoint("capacity_90d", "capacity_3y", "lab");

    @Test
    void chipMinuteGoesToTheMinutePolicyWithMeanPowerAndSamples() {
        CapacityPoint p = new CapacityPoint(Level.CHIP, Resolution.MINUTE, "c1", "n1", "r1", "p1", null, 60_000L, 6,
                150.0, 55.0, 615.0, 57);

        assertThat(LineProtocol.line(converter, p)).isEqualTo("chip_1m,chip=c1,node=n1,pod=p1,"
                + "rack=r1 points=6i,power_mean=102.5,samples=57i,util_max=55.0,util_mean=25.0 60000");
        assertThat(converter.retentionPolicy(p)).isEqualTo("capacity_90d");
    }

    @Test
    void chipPointsCarryTheChipsJob() {
        CapacityPoint p = new CapacityPoint(Level.CHIP, Resolution.HOUR, "c1", "n1", "r1", "p1", "train-1", 0L, 1,
                1, 1, 1, 10);

        assertThat(LineProtocol.line(converter, p))
                .startsWith("chip_1h,chip=c1,job=train-1,node=n1,pod=p1,rack=r1 ");
        assertThat(p.series()).isEqualTo("c1|train-1");
    }

    @Test
    void rollupHourGoesToTheHourPolicyWithPowerSumAndChips() {
        CapacityPoint p = new CapacityPoint(Level.JOB, Resolution.HOUR, null, null, null, null, "train-1", 3_600_000L,
                360, 36_000.0, 99.0, 720_000.0, 64);

        assertThat(LineProtocol.line(converter, p)).isEqualTo("job_1h,job=train-1 chips=64i,"
                + "points=360i,power_sum=2000.0,util_max=99.0,util_mean=100.0 3600000");
        assertThat(converter.retentionPolicy(p)).isEqualTo("capacity_3y");
        assertThat(LineProtocol.line(converter, new CapacityPoint(Level.CLUSTER, Resolution.HOUR, null, null, null, null, null,
                0L, 1, 1, 1, 1, 1))).startsWith("cluster_1h,cluster=lab ");
        assertThat(LineProtocol.line(converter, new CapacityPoint(Level.RACK, Resolution.MINUTE, null, null, "r1", "p1", null,
                0L, 1, 1, 1, 1, 1))).startsWith("rack_1m,pod=p1,rack=r1 ");
    }

    @Test
    void aTenSecondInputRowIsNotWritten() {
        assertThatThrownBy(() -> LineProtocol.line(converter, new CapacityPoint(Level.CHIP, Resolution.WINDOW, "c", "n", "r",
                "p", null, 0L, 1, 1, 1, 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
