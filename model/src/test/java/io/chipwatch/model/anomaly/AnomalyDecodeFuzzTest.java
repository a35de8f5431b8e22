package io.chipwatch.model.anomaly;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chipwatch.model.wire.WireFormatException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link AnomalyCodec#decode} (schema ids 0x11 and 0x12; docs/SECURITY.md "Fuzzing"): any
 * bytes either decode to an anomaly that survives a re-encoding unchanged, or fail as a {@link WireFormatException}
 * with a reason; nothing else escapes. The default test run replays {@code AnomalyDecodeFuzzTestInputs/decode}.
 */
class AnomalyDecodeFuzzTest {
    private final AnomalyCodec codec = new AnomalyCodec();

    @FuzzTest
    void decode(byte[] bytes) throws WireFormatException {
        Anomaly anomaly;
        try {
            anomaly = codec.decode(bytes);
        } catch (WireFormatException expected) {
            assertThat(expected.reason()).isNotNull();
            return;
        }
        assertThat(codec.decode(codec.encode(anomaly))).isEqualTo(anomaly);
    }
}
