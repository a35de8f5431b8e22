package io.chipwatch.alerting.alert;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of an alert: a hash of its sorted labels, the same function as Prometheus and Alertmanager
 * ({@code model.LabelSet.Fingerprint}: 64-bit FNV-1a over each name and value in name order, each followed by the
 * separator byte 0xFF), printed as 16 hex digits. So the fingerprint the alerting API shows is the one
 * Alertmanager's API shows for the same alert.
 */
public final class Fingerprint {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xFF;

    private Fingerprint() {
    }

    /** The fingerprint of a label set (order of the map does not matter). */
    public static String of(Map<String, String> labels) {
        long h = OFFSET;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            h = add(h, e.getKey());
            h = (h ^ SEPARATOR) * PRIME;
            h = add(h, e.getValue());
            h = (h ^ SEPARATOR) * PRIME;
        }
        return String.format("%016x", h);
    }

    private static long add(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= PRIME;
        }
        return h;
    }
}
