package io.chipwatch.alerting.state;

import io.chipwatch.alerting.alert.Acknowledgement;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.silence.Silence;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** State records survive the JSON round trip; unreadable ones are skipped, not fatal. */
class StateCodecTest {

    @Test
    void everyRecordTypeRoundTrips() {
        Alert alert = new Alert("0123456789abcdef", new TreeMap<>(Map.of("alertname", "NodeDown", "node", "n")),
                new TreeMap<>(Map.of("summary", "s")), AlertStatus.FIRING, 1, 2, 3L, null, 4, 5, List.of("a"),
                List.of("b", "c"), 7.5, Double.NaN, new Acknowledgement("alice", 9, "x"));
        Silence silence = new Silence("id-1", List.of(Matcher.regex("rack", "p00-r0[12]"), Matcher.parse("a!=b")),
                10, 20, "bob", "c", 11);
        NotificationLogEntry entry = new NotificationLogEntry("webhook-1", "{}:{a=\"b\"}", Set.of("f1", "f2"), 12);
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put(StateCodec.ALERT + alert.fingerprint(), StateCodec.encode(alert));
        records.put(StateCodec.SILENCE + silence.id(), StateCodec.encode(silence));
        records.put(StateCodec.NFLOG + "webhook-1/x", StateCodec.encode(entry));
        records.put(StateCodec.RESOLVED + "0123456789abcdef@1", StateCodec.encode(alert));
        records.put(StateCodec.ALERT + "broken", "{not json".getBytes(StandardCharsets.UTF_8));
        records.put("other/key", new byte[] {1});

        StateCodec.Restored r = StateCodec.restore(records);
        Alert back = r.alerts().get(0);
        assertThat(back.labels()).isEqualTo(alert.labels());
        assertThat(back.threshold()).isNaN();
        assertThat(back.acknowledgement()).isEqualTo(alert.acknowledgement());
        assertThat(back.closedAnomalyIds()).containsExactly("b", "c");
        assertThat(back.endsAt()).isNull();
        assertThat(r.silences()).singleElement().satisfies(s -> {
            assertThat(s.matchers()).isEqualTo(silence.matchers());
            assertThat(s.matches(Map.of("rack", "p00-r02", "a", "c"))).isTrue();
        });
        assertThat(r.notificationLog()).containsExactly(entry);
        assertThat(r.history()).containsOnlyKeys("0123456789abcdef@1");
        assertThat(r.unreadable()).hasSize(2);
    }

    @Test
    void aSilenceWrittenBeforeTheAlertmanagerSyncIsChipwatchsOwnAndNotYetThere() {
        byte[] old = ("{\"id\":\"id-2\",\"matchers\":[{\"name\":\"rack\",\"value\":\"r1\",\"isRegex\":false,"
                + "\"isEqual\":true}],\"startsAt\":1,\"endsAt\":2,\"createdBy\":\"bob\",\"comment\":\"\","
                + "\"updatedAt\":1}").getBytes(StandardCharsets.UTF_8);
        Silence read = StateCodec.decode(old, Silence.class);
        assertThat(read.origin()).isEqualTo(Silence.Origin.CHIPWATCH);
        assertThat(read.alertmanagerId()).isNull();

        Silence imported = new Silence("am-1", List.of(Matcher.equal("rack", "r1")), 1, 2, "amtool", "c", 1,
                Silence.Origin.ALERTMANAGER, "am-1");
        assertThat(StateCodec.decode(StateCodec.encode(imported), Silence.class)).isEqualTo(imported);
    }

    /** Found by StateCodecFuzzTest: a value of JSON null decoded to null and was restored as a null alert. */
    @Test
    void aNullValueIsABadRecordNotANullAlert() {
        byte[] json = "null".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StateCodec.decode(json, Alert.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("bad state record: null instead of Alert");
        StateCodec.Restored r = StateCodec.restore(Map.of(StateCodec.ALERT + "f", json, StateCodec.SILENCE + "s", json));
        assertThat(r.alerts()).isEmpty();
        assertThat(r.silences()).isEmpty();
        assertThat(r.unreadable()).hasSize(2);
    }
}
