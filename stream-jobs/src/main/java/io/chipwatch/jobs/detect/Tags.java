package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;

import java.util.Locale;

/** Hierarchy tags and text helpers the detectors share. */
final class Tags {
    private Tags() {
    }

    /** Pod, rack, node, chip and (when busy) job of a chip. */
    static Anomaly.Builder chip(Anomaly.Builder b, ChipReading r) {
        return b.tag("pod", r.pod()).tag("rack", r.rack()).tag("node", r.node()).tag("chip", r.chip())
                .tag("job", r.job());
    }

    /** Pod and rack. */
    static Anomaly.Builder rack(Anomaly.Builder b, String pod, String rack) {
        return b.tag("pod", pod).tag("rack", rack);
    }

    /** Pod, rack and node. */
    static Anomaly.Builder node(Anomaly.Builder b, String pod, String rack, String node) {
        return b.tag("pod", pod).tag("rack", rack).tag("node", node);
    }

    /** A number for a detail text: one decimal, a dot whatever the locale. */
    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A number for a detail text: two decimals. */
    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
