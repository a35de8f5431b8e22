package io.chipwatch.model.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chipwatch.model.sample.ChipSample;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link ChipSampleCodec#decode} (docs/SECURITY.md "Fuzzing"): any bytes either decode to
 * a sample that survives a re-encoding unchanged, or fail as a {@link WireFormatException} with a reason; nothing
 * else escapes. The default test run replays {@code ChipSampleDecodeFuzzTestInputs/decode}; the build's {@code fuzz}
 * execution fuzzes it.
 */
class ChipSampleDecodeFuzzTest {
    private final ChipSampleCodec codec = new ChipSampleCodec();

    @FuzzTest
    void decode(byte[] bytes) throws WireFormatException {
        ChipSample sample;
        try {
            sample = codec.decode(bytes);
        } catch (WireFormatException expected) {
            assertThat(expected.reason()).isNotNull();
            return;
        }
        assertThat(codec.decode(codec.encode(sample))).isEqualTo(sample);
    }
}
