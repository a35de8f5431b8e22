package io.chipwatch.collector.source.prometheus;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextFormatParserTest {

    static String resource(String name) throws Exception {
        try (InputStream in = TextFormatParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsDcgmExporterOutputWithEveryLabel() throws Exception {
        List<Series> all = TextFormatParser.parse(resource("/dcgm/dcgm-exporter-2gpu.txt"));
        assertThat(all).hasSize(16);
        Series power = all.stream().filter(s -> s.name().equals("DCGM_FI_DEV_POWER_USAGE") && "1".equals(s.label("gpu")))
                .findFirst().orElseThrow();
        assertThat(power.value()).isEqualTo(612.904);
        assertThat(power.timestampMillis()).isNull();
        assertThat(power.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("gpu", "1",
                "UUID", "GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901", "pci_bus_id", "00000000:0F:00.0",
                "device", "nvidia1", "modelName", "NVIDIA H100 80GB HBM3", "Hostname", "gpu-node-07",
                "DCGM_FI_DRIVER_VERSION", "550.54.15"));
        Series memTemp = all.stream().filter(s -> s.name().equals("DCGM_FI_DEV_MEMORY_TEMP")).findFirst().orElseThrow();
        assertThat(memTemp.value()).as("dcgm's 'blank' sentinel reads as a number").isEqualTo(9.223372036854776E18);
        Series xid = all.stream().filter(s -> s.name().equals("DCGM_FI_DEV_XID_ERRORS")).findFirst().orElseThrow();
        assertThat(xid.label("err_msg")).isEqualTo("No Error");
    }

    @Test
    void keepsOnlyTheWantedSeriesButChecksEveryLine() throws Exception {
        String body = resource("/dcgm/dcgm-exporter-2gpu.txt");
        assertThat(TextFormatParser.parse(body, DcgmMapping.SERIES::contains)).hasSize(6)
                .allMatch(s -> DcgmMapping.SERIES.contains(s.name()));
        assertThatThrownBy(() -> TextFormatParser.parse(body + "DCGM_FI_DEV_SM_CLOCK{gpu=\"0\" 3\n",
                DcgmMapping.SERIES::contains)).isInstanceOf(ExpositionException.class).hasMessageStartingWith("line 33:");
    }

    @Test
    void followsTheSpecOnBlanksEscapesSpecialValuesAndTimestamps() throws Exception {
        List<Series> s = TextFormatParser.parse("""
                # a comment
                # HELP m help with "quotes" and \\\\ backslash
                # TYPE m gauge

                m{gpu="0", UUID="a\\"b\\\\c\\nd",} NaN
                m {gpu="1"}\t+Inf 1700000000000
                m{gpu="2"} -Inf
                m 1.5e3
                m{} -0.25\r
                metric:with_colon{a="{}=,"} 7
                """);
        assertThat(s).hasSize(6);
        assertThat(s.get(0).value()).isNaN();
        assertThat(s.get(0).label("UUID")).isEqualTo("a\"b\\c\nd");
        assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(1).timestampMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.get(3).value()).isEqualTo(1500.0);
        assertThat(s.get(3).labels()).isEmpty();
        assertThat(s.get(4).value()).isEqualTo(-0.25);
        assertThat(s.get(5).name()).isEqualTo("metric:with_colon");
        assertThat(s.get(5).label("a")).isEqualTo("{}=,");
    }

    @Test
    void rejectsMalformedLinesNamingTheLine() {
        for (String bad : List.of("m{gpu=\"0\"} abc", "m{gpu=\"0\"}", "m{gpu=0} 1", "m{gpu=\"0\"", "m{gpu=\"0\",gpu=\"1\"} 1",
                "m{gpu=\"0\\x\"} 1", "0m 1", "m 1 2 3", "m 0x1F", "m Infinity", "m 1f", "m{gpu=\"0\"}1",
                "# TYPE m thing", "m 1 1.5", "{gpu=\"0\"} 1", "m{gpu=\"0\" x=\"1\"} 1")) {
            assertThatThrownBy(() -> TextFormatParser.parse("ok 1\n" + bad + "\n")).as(bad)
                    .isInstanceOf(ExpositionException.class).hasMessageStartingWith("line 2:");
        }
    }

    @Test
    void anEmptyBodyHasNoSeries() throws Exception {
        assertThat(TextFormatParser.parse("")).isEmpty();
        assertThat(TextFormatParser.parse("\n\n# only comments\n")).isEmpty();
    }
}
