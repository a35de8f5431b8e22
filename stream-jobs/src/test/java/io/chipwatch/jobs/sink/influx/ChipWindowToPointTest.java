package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.datatypes.ChipWindow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChipWindowToPointTest {
    private final ChipWindowToPoint converter = new ChipWindowToPoint();

    @Test
    void writesAllTagsFloatFieldsIntegerSamplesAndWindowStartInMillis() {
        ChipWindow w = new ChipWindow("p0-r01-n03-c5", "p0-r01-n03", "p0-r01", "p0", "job-7", 1_700_000_010_000L,
                62.5, 97.25, 71.125, 74.0, 301.5, 399.0, 10);

        // Tags and fields sorted by key (InfluxDB's canonical order); 74.0 stays a float, samples is an integer.
        assertThat(line(w)).isEqualTo("chip,chip=p0-r01-n03-c5,job=job-7,node=p0-r01-n03,pod=p0,rack=p0-r01 "
                + "power_max=399.0,power_mean=301.5,samples=10i,temp_max=74.0,temp_mean=71.125,"
                + "util_max=97.25,util_mean=62.5 1700000010000");
    }

    @Test
    void leavesTheJobTagOutWhenTheChipHadNoJob() {
        ChipWindow w = new ChipWindow("c1", "n1", "r1", "p1", null, 20_000L, 0.0, 0.5, 40.0, 40.0, 90.0, 90.0, 1);

        assertThat(line(w)).isEqualTo("chip,chip=c1,node=n1,pod=p1,rack=r1 "
                + "power_max=90.0,power_mean=90.0,samples=1i,temp_max=40.0,temp_mean=40.0,"
                + "util_max=0.5,util_mean=0.0 20000");
    }

    @Test
    void escapesSpacesCommasAndEqualsSignsInTagValues() {
        ChipWindow w = new ChipWindow("c 1", "n,1", "r=1", "p1", "my job", 0L, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1);

        assertThat(line(w)).startsWith("chip,chip=c\\ 1,job=my\\ job,node=n\\,1,pod=p1,rack=r\\=1 ");
    }

    @Test
    void keepsFullDoublePrecision() {
        ChipWindow w = new ChipWindow("c1", "n1", "r1", "p1", null, 0L,
                1.0 / 3, 0.1 + 0.2, 1e-7, 123456789.123, 2.5, 3.0, 3);

        // Double.toString: the shortest text that reads back as the same double (exponent form for small and large)
        assertThat(line(w)).contains("util_max=0.30000000000000004,", "util_mean=0.3333333333333333 ",
                "temp_mean=1.0E-7,", "temp_max=1.23456789123E8,");
    }

    @Test
    void writesTheChipsLinkLatencySummaryWhenItHasOne() {
        ChipWindow w = new ChipWindow("c1", "n1", "r1", "p1", null, 20_000L, 0.0, 0.5, 40.0, 40.0, 90.0, 90.0, 10,
                1.901, 4.253, 17.5);

        assertThat(line(w)).isEqualTo("chip,chip=c1,node=n1,pod=p1,rack=r1 "
                + "link_latency_us_max=17.5,link_latency_us_p50=1.901,link_latency_us_p99=4.253,"
                + "power_max=90.0,power_mean=90.0,samples=10i,temp_max=40.0,temp_mean=40.0,"
                + "util_max=0.5,util_mean=0.0 20000");
    }

    /** The window's point in line protocol, timestamps in milliseconds. */
    private String line(ChipWindow w) {
        return LineProtocol.line(converter, w);
    }
}
