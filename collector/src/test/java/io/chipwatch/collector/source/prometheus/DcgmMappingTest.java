package io.chipwatch.collector.source.prometheus;

import io.chipwatch.collector.source.ChipInfo;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DcgmMappingTest {
    private static final ScrapeTarget TARGET = ScrapeTarget.of("10.0.0.7:9400",
            Map.of("pod", "p03", "rack", "p03-r11", "node", "p03-r11-n04"));

    @Test
    void dcgmExporterOutputGivesOneSamplePerGpuWithItsMetadata() throws Exception {
        SourceReading r = DcgmMapping.map(TARGET, TextFormatParser.parse(
                TextFormatParserTest.resource("/dcgm/dcgm-exporter-2gpu.txt")), 1_764_000_000_000L);
        assertThat(r.clean()).isTrue();
        assertThat(r.samples()).containsExactly(
                new ChipSample(1_764_000_000_000L, "p03-r11-n04-c00", "p03-r11-n04", "p03-r11", "p03", null,
                        0, 34, 71.436, List.of()),
                new ChipSample(1_764_000_000_000L, "p03-r11-n04-c01", "p03-r11-n04", "p03-r11", "p03", null,
                        97, 61, 612.904, List.of()));
        assertThat(r.chips()).containsExactly(
                new ChipInfo("p03-r11-n04-c00", "p03-r11-n04", "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",
                        "NVIDIA H100 80GB HBM3", "gpu-node-07"),
                new ChipInfo("p03-r11-n04-c01", "p03-r11-n04", "GPU-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901",
                        "NVIDIA H100 80GB HBM3", "gpu-node-07"));
    }

    @Test
    void newerLowerCaseLabelsAndTwoDigitIndexes() throws Exception {
        SourceReading r = DcgmMapping.map(TARGET, TextFormatParser.parse("""
                DCGM_FI_DEV_GPU_UTIL{gpu="12",uuid="GPU-x",modelName="B200",hostname="h"} 5
                DCGM_FI_DEV_GPU_TEMP{gpu="12",uuid="GPU-x",modelName="B200",hostname="h"} 40
                DCGM_FI_DEV_POWER_USAGE{gpu="12",uuid="GPU-x",modelName="B200",hostname="h"} 200.5
                """), 0);
        assertThat(r.samples()).extracting(ChipSample::chip).containsExactly("p03-r11-n04-c12");
        assertThat(r.chips().get(0)).isEqualTo(new ChipInfo("p03-r11-n04-c12", "p03-r11-n04", "GPU-x", "B200", "h"));
    }

    @Test
    void missingSeriesNanAndBadIndexesAreCountedAndGiveNoSample() throws Exception {
        SourceReading r = DcgmMapping.map(TARGET, TextFormatParser.parse("""
                DCGM_FI_DEV_GPU_UTIL{gpu="0"} 5
                DCGM_FI_DEV_GPU_TEMP{gpu="0"} 40
                DCGM_FI_DEV_POWER_USAGE{gpu="0"} 100
                DCGM_FI_DEV_GPU_UTIL{gpu="1"} 5
                DCGM_FI_DEV_GPU_TEMP{gpu="1"} 40
                DCGM_FI_DEV_GPU_UTIL{gpu="2"} NaN
                DCGM_FI_DEV_GPU_TEMP{gpu="2"} 40
                DCGM_FI_DEV_POWER_USAGE{gpu="2"} 100
                DCGM_FI_DEV_GPU_UTIL{gpu="x"} 1
                DCGM_FI_DEV_GPU_UTIL{gpu="3",GPU_I_ID="1",GPU_I_PROFILE="1g.10gb"} 1
                """), 0);
        assertThat(r.samples()).extracting(ChipSample::chip).containsExactly("p03-r11-n04-c00");
        assertThat(r.problems()).isEqualTo(Map.of(SourceProblem.MISSING_SERIES, 1, SourceProblem.NAN, 1,
                SourceProblem.BAD_GPU, 1));
        assertThat(r.chips()).extracting(ChipInfo::chip).as("MIG instances are not chips")
                .containsExactly("p03-r11-n04-c00", "p03-r11-n04-c01", "p03-r11-n04-c02");
    }

    @Test
    void aBodyWithoutGpuSeriesIsMissingSeries() throws Exception {
        SourceReading r = DcgmMapping.map(TARGET, TextFormatParser.parse("node_load1 0.5\n"), 0);
        assertThat(r.samples()).isEmpty();
        assertThat(r.problems()).isEqualTo(Map.of(SourceProblem.MISSING_SERIES, 1));
        assertThat(r.detail()).contains("dcgm-exporter");
    }
}
