package io.chipwatch.alerting.state;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.NotificationLogEntry;
import io.chipwatch.alerting.silence.Silence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed view of the state topic: key prefixes name the record type, values are JSON. Readers ignore fields
 * they do not know, so fields can be added without a migration.
 */
public final class StateCodec {
    public static final String ALERT = "alert/";
    public static final String NFLOG = "nflog/";
    public static final String SILENCE = "silence/";
    public static final String RESOLVED = "resolved/";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateCodec() {
    }

    public static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one record value as a {@code type}.
     *
     * @throws UncheckedIOException "bad state record: ..." when the bytes are not such a record (not JSON, the wrong
     *                              shape, a field its constructor refuses, or JSON {@code null})
     */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw new UncheckedIOException("bad state record: null instead of " + type.getSimpleName(),
                        new IOException("JSON null"));
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("bad state record: " + e.getMessage(), e);
        }
    }

    /** What the state topic held at start, by type. */
    public record Restored(List<Alert> alerts, List<NotificationLogEntry> notificationLog, List<Silence> silences,
                           Map<String, Alert> history, List<String> unreadable) {
    }

    /** Sorts loaded records by type; records that do not decode are listed (and skipped), never fatal. */
    public static Restored restore(Map<String, byte[]> records) {
        List<Alert> alerts = new ArrayList<>();
        List<NotificationLogEntry> nflog = new ArrayList<>();
        List<Silence> silences = new ArrayList<>();
        Map<String, Alert> history = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        records.forEach((key, value) -> {
            try {
                if (key.startsWith(ALERT)) {
                    alerts.add(decode(value, Alert.class));
                } else if (key.startsWith(NFLOG)) {
                    nflog.add(decode(value, NotificationLogEntry.class));
                } else if (key.startsWith(SILENCE)) {
                    silences.add(decode(value, Silence.class));
                } else if (key.startsWith(RESOLVED)) {
                    history.put(key.substring(RESOLVED.length()), decode(value, Alert.class));
                } else {
                    unreadable.add(key + " (unknown key prefix)");
                }
            } catch (RuntimeException e) {
                unreadable.add(key + " (" + e.getMessage() + ")");
            }
        });
        return new Restored(alerts, nflog, silences, history, unreadable);
    }
}
