package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.chipwatch.jobs.functions.Samples.sample;
import static org.assertj.core.api.Assertions.assertThat;

class LateSamplesTest {
    @Test
    void aLateSampleBecomesACountedLateDeadLetterWithItsWireBytes() throws Exception {
        LateSamples late = new LateSamples(Duration.ofSeconds(10), Duration.ofSeconds(2));
        ChipSample sample = sample("c1", 12_000L, "job", 50, 60, 300);
        try (OneInputStreamOperatorTestHarness<ChipSample, DeadLetter> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(late)) {
            harness.processWatermark(25_000L);
            harness.processElement(sample, 12_000L);

            DeadLetter letter = harness.extractOutputValues().get(0);
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.LATE);
            assertThat(letter.key()).isEqualTo("c1".getBytes(StandardCharsets.UTF_8));
            assertThat(new ChipSampleCodec().decode(letter.value())).isEqualTo(sample);
            assertThat(letter.topic()).isNull();
            assertThat(letter.message()).contains("1970-01-01T00:00:12Z", "[1970-01-01T00:00:10Z, 1970-01-01T00:00:20Z)",
                    "watermark 1970-01-01T00:00:25Z", "2000 ms");
            assertThat(late.lateCounter().getCount()).isEqualTo(1);
        }
    }
}
