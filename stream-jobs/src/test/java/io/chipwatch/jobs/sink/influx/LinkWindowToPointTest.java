package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.LinkWindow;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class LinkWindowToPointTest {
    @Test
    void writesEveryTagFloatLatenciesIntegerSamplesAndWindowStartInMillis() {
        LinkWindow w = new LinkWindow("p0-r01-n03-c1~c5", "p0-r01-n03-c1", "p0-r01-n03-c5", "p0-r01-n03", "p0-r01",
                "p0", "intra", 1_700_000_010_000L, 2.125, 2.25, 3.0, 10);

        assertThat(LineProtocol.line(new LinkWindowToPoint(), w)).isEqualTo(
                "link,chip=p0-r01-n03-c1,kind=intra,link=p0-r01-n03-c1~c5,node=p0-r01-n03,peer=p0-r01-n03-c5,pod=p0,"
                        + "rack=p0-r01 latency_us_max=3.0,latency_us_mean=2.125,latency_us_p99=2.25,samples=10i "
                        + "1700000010000");
    }
}
