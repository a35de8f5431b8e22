package io.chipwatch.jobs.sink.influx;

import io.chipwatch.jobs.testing.ItSupport;
import io.chipwatch.testsupport.InfluxService;
import io.chipwatch.testsupport.RealInfrastructure;
import io.chipwatch.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LineProtocol} through {@link InfluxDbJavaClient} into a real influxd and back: names, tags and string fields
 * with every character line protocol treats specially, and floats in every form {@link Double#toString} takes, read
 * back exactly as written.
 */
@RealInfrastructure
class LineProtocolIT {
    private static final String MEASUREMENT = "m e,a=s\\ure";
    private static final Map<String, String> TAGS = Map.of(
            "plain", "p0-r01-n03-c5~sw",
            "sp ace", "a b",
            "com,ma", "a,b",
            "eq=uals", "a=b",
            "back\\slash", "a\\b",
            "escape", "a\\ b\\,c\\=d",
            "quote", "say \"hi\" 'x'",
            "unicode", "µs-ä-✓");
    private static final String FIELD = "line one \"quoted\", x=1 \\ back\\\\slash\nline two\\";
    private static final double[] FLOATS = {1.0E-5, 0.1 + 0.2, 1.0E21, 1.23456789123E8, -2.5, 4.9E-324,
            Double.MAX_VALUE, 1.0 / 3, 0.0};

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void trickyNamesTagsStringsAndFloatsRoundTripThroughInflux(InfluxService influx) {
        String database = TestTopics.unique("lineprotocol");
        long base = System.currentTimeMillis() - 3_600_000L;
        StringBuilder lines = new StringBuilder();
        LineProtocol point = new LineProtocol(lines);
        for (int i = 0; i < FLOATS.length; i++) {
            point.measurement(MEASUREMENT);
            TAGS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> point.tag(t.getKey(), t.getValue()));
            point.field("f", FLOATS[i]).field("i", i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : i)
                    .field("s t,r=", FIELD).time(base + i);
        }
        try (InfluxDbJavaClient client = new InfluxDbJavaClient(influx.url())) {
            client.createDatabase(database);
            client.ensureRetentionPolicies(database, List.of(
                    new RetentionPolicySpec("raw_7d", Duration.ofDays(7), true),
                    new RetentionPolicySpec("other_1d", Duration.ofDays(1), false)));
            client.write(database, null, lines.toString());
            client.write(database, "other_1d", "n v=1.0E-5 " + base + "\n");
            // "i" was written with the i suffix: an integer field, which a float cannot go into.
            assertThatThrownBy(() -> client.write(database, null, "n i=1i " + base + "\nn i=1.5 " + base + "\n"))
                    .hasMessageContaining("field type conflict");
        }

        List<Map<String, Object>> rows = ItSupport.points(influx.url(), database, "raw_7d",
                MEASUREMENT.replace("\\", "\\\\").replace("\"", "\\\""));
        assertThat(rows).hasSize(FLOATS.length);
        for (int i = 0; i < FLOATS.length; i++) {
            Map<String, Object> row = rows.get(i);
            assertThat(row.get("time")).isEqualTo(base + i);
            assertThat(((Number) row.get("f")).doubleValue()).as("float %s", FLOATS[i]).isEqualTo(FLOATS[i]);
            assertThat(row.get("s t,r=")).isEqualTo(FIELD);
            TAGS.forEach((k, v) -> assertThat(row.get(k)).as("tag %s", k).isEqualTo(v));
        }
        // Integers come back through JSON as doubles: the extremes are checked as InfluxDB prints them.
        assertThat(ItSupport.rows(influx.url(), database, "SELECT max(\"i\") FROM \"raw_7d\".\"" + MEASUREMENT
                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"")).singleElement()
                .satisfies(r -> assertThat(((Number) r.get("max")).doubleValue()).isEqualTo((double) Long.MAX_VALUE));
        assertThat(ItSupport.points(influx.url(), database, "other_1d", "n")).singleElement()
                .satisfies(r -> assertThat(r.get("v")).isEqualTo(1.0E-5));
    }
}
