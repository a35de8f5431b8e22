package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import io.chipwatch.jobs.sketch.LatencySketch;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RollupToPointTest {
    private final RollupToPoint converter = new RollupToPoint("lab");

    @Test
    void nodePointHasTheHierarchyTagsAndLatencyPercentiles() {
        LatencySketch sketch = new LatencySketch();
        sketch.recordMicros(2.0);
        sketch.recordMicros(4.0);

        assertThat(line(new Rollup(Level.NODE, "n1", "r1", "p1", null, 10_000L, 8, 400.0, 10.0, 99.5, 81.25,
                2400.0, sketch))).isEqualTo("node,node=n1,pod=p1,rack=r1 chips_reporting=8i,link_latency_us_p50=2.0,"
                + "link_latency_us_p99=4.0,power_sum=2400.0,temp_max=81.25,util_max=99.5,util_mean=50.0 10000");
    }

    @Test
    void levelsAboveTheNodeKeepTheirOwnTagsAndLatencyFieldsAreLeftOutWithoutLinks() {
        LatencySketch none = new LatencySketch();
        assertThat(line(new Rollup(Level.RACK, null, "r1", "p1", null, 0L, 2, 3.0, 1.0, 2.0, 50.0, 200.0, none)))
                .isEqualTo("rack,pod=p1,rack=r1 chips_reporting=2i,power_sum=200.0,temp_max=50.0,util_max=2.0,util_mean=1.5 0");
        assertThat(line(new Rollup(Level.POD, null, null, "p1", null, 0L, 2, 3.0, 1.0, 2.0, 50.0, 200.0, none)))
                .startsWith("pod,pod=p1 chips_reporting=2i,");
        assertThat(line(new Rollup(Level.CLUSTER, null, null, null, null, 0L, 2, 3.0, 1.0, 2.0, 50.0, 200.0, none)))
                .startsWith("cluster,cluster=lab chips_reporting=2i,");
    }

    @Test
    void jobPointHasUtilMinAndChips() {
        assertThat(line(new Rollup(Level.JOB, null, null, null, "train-1", 0L, 4, 300.0, 60.0, 95.0, 70.0,
                1500.0, new LatencySketch())))
                .isEqualTo("job,job=train-1 chips=4i,power_sum=1500.0,util_max=95.0,util_mean=75.0,util_min=60.0 0");
    }

    @Test
    void aChipContributionIsNotAPoint() {
        assertThatThrownBy(() -> LineProtocol.line(converter, new Rollup(Level.CHIP, "n", "r", "p", null, 0L, 1, 1, 1, 1, 1, 1,
                new LatencySketch()))).isInstanceOf(IllegalArgumentException.class);
    }

    private String line(Rollup r) {
        return LineProtocol.line(converter, r);
    }
}
