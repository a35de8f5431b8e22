package io.chipwatch.alerting.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.silence.Silence;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the records of the compacted {@code alerting-state} topic (docs/SECURITY.md
 * "Fuzzing"). The first byte picks the record type ({@code a} alert, {@code n} nflog, {@code s} silence, {@code r}
 * resolved, anything else an unknown key), the rest is the record's JSON value. {@link StateCodec#decode} either
 * returns a value that survives a re-encoding unchanged or throws {@link UncheckedIOException}; {@link
 * StateCodec#restore} never throws and lists the record exactly once, as restored or as unreadable.
 */
class StateCodecFuzzTest {
    private static final Map<Character, Class<?>> TYPES = Map.of(
            'a', Alert.class, 'n', NotificationLogEntry.class, 's', Silence.class, 'r', Alert.class);
    private static final Map<Character, String> PREFIXES = Map.of(
            'a', StateCodec.ALERT, 'n', StateCodec.NFLOG, 's', StateCodec.SILENCE, 'r', StateCodec.RESOLVED);

    @FuzzTest
    void decodeAndRestore(byte[] input) {
        if (input.length == 0) {
            return;
        }
        char kind = (char) input[0];
        byte[] value = Arrays.copyOfRange(input, 1, input.length);
        Class<?> type = TYPES.get(kind);
        boolean decodes = false;
        if (type != null) {
            try {
                Object decoded = StateCodec.decode(value, type);
                assertThat(decoded).isNotNull();
                assertThat(StateCodec.decode(StateCodec.encode(decoded), type)).isEqualTo(decoded);
                decodes = true;
            } catch (UncheckedIOException expected) {
                assertThat(expected.getMessage()).startsWith("bad state record");
            }
        }
        String key = PREFIXES.getOrDefault(kind, "other/") + new String(value, 0, Math.min(8, value.length),
                StandardCharsets.ISO_8859_1);
        StateCodec.Restored restored = StateCodec.restore(Map.of(key, value));
        int listed = restored.alerts().size() + restored.notificationLog().size() + restored.silences().size()
                + restored.history().size();
        assertThat(listed).isEqualTo(decodes ? 1 : 0);
        assertThat(restored.unreadable()).hasSize(decodes ? 0 : 1);
    }
}
