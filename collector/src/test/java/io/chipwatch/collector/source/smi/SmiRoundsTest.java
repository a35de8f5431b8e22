package io.chipwatch.collector.source.smi;

import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.model.sample.ChipSample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmiRoundsTest {

    @Test
    void parsesNvidiaSmiCsvLines() {
        assertThat(NvidiaSmiCsv.parse("0, GPU-5c3e9a4b-1111-2222-3333-444455556666, 87, 64, 312.45"))
                .isEqualTo(new NvidiaSmiCsv(0, "GPU-5c3e9a4b-1111-2222-3333-444455556666", 87, 64, 312.45));
        assertThat(NvidiaSmiCsv.parse("3, GPU-x, [N/A], 40, [Not Supported]").util()).isNaN();
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, GPU-x, 87 %, 64, 312.45 W")).hasMessageContaining("nounits");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("index, uuid, utilization.gpu [%], temperature.gpu, power.draw [W]"))
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, GPU-x, 87")).hasMessageContaining("expected 5 fields");
    }

    @Test
    void linesGroupIntoRoundsStampedOnTheIntervalGrid() {
        SmiRounds rounds = new SmiRounds("p00-r00-n05", "p00-r00", "p00", 1000);
        assertThat(rounds.line("0, GPU-a, 90, 60, 300.5", 10_020)).isNull();
        assertThat(rounds.line("1, GPU-b, [N/A], 61, 301", 10_021)).isNull();
        assertThat(rounds.line("garbage", 10_022)).isNull();
        SourceReading first = rounds.line("0, GPU-a, 91, 60, 300", 11_030);
        assertThat(first.samples()).containsExactly(new ChipSample(10_000, "p00-r00-n05-c00", "p00-r00-n05", "p00-r00",
                "p00", null, 90, 60, 300.5, List.of()));
        assertThat(first.chips()).hasSize(2);
        assertThat(first.problems()).isEqualTo(Map.of(SourceProblem.NAN, 1, SourceProblem.MALFORMED, 1));
        assertThat(rounds.line("1, GPU-b, 92, 61, 301", 11_031)).isNull();
        // A round arriving within the same slot as the previous one takes the next slot: no duplicate timestamps.
        SourceReading second = rounds.line("0, GPU-a, 93, 60, 300", 11_400);
        assertThat(second.samples()).extracting(ChipSample::timestampMillis).containsExactly(11_000L, 11_000L);
        assertThat(second.clean()).isTrue();
        SourceReading third = rounds.flush();
        assertThat(third.samples()).extracting(ChipSample::timestampMillis).containsExactly(12_000L);
        assertThat(rounds.flush()).isNull();
    }
}
