package io.chipwatch.alerting.testing;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;

import java.util.ArrayList;
import java.util.List;

/** Anomalies for tests, with the hierarchy tags derived from the Topology id scheme. */
public final class Anomalies {
    private Anomalies() {
    }

    /**
     * An open anomaly of a chip-scoped type, e.g. chip("p00-r01-n02-c03", CHIP_DOWN, start), with the facts of a
     * 97.5 °C chip against a 95 °C limit.
     */
    public static Anomaly chip(AnomalyType type, String chip, long start) {
        String node = chip.substring(0, chip.lastIndexOf('-'));
        String rack = node.substring(0, node.lastIndexOf('-'));
        String pod = rack.substring(0, rack.lastIndexOf('-'));
        return Anomaly.builder().type(type).entity(chip).tag("chip", chip).tag("node", node).tag("rack", rack)
                .tag("pod", pod).tag("job", "job-1").startMillis(start).value(97.5).threshold(95)
                .fact(Fact.TEMP_C, 97.5).fact(Fact.LIMIT_C, 95).detail("test evidence").build();
    }

    public static Anomaly node(AnomalyType type, String node, long start) {
        String rack = node.substring(0, node.lastIndexOf('-'));
        String pod = rack.substring(0, rack.lastIndexOf('-'));
        List<String> chips = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            chips.add(node + "-c0" + c);
        }
        return Anomaly.builder().type(type).entity(node).tag("node", node).tag("rack", rack).tag("pod", pod)
                .startMillis(start).value(3).threshold(2).affected(chips).detail("all chips silent").build();
    }

    public static Anomaly rack(AnomalyType type, String rack, long start) {
        String pod = rack.substring(0, rack.lastIndexOf('-'));
        return Anomaly.builder().type(type).entity(rack).tag("rack", rack).tag("pod", pod).startMillis(start)
                .value(15).threshold(8).detail("all chips hotter").build();
    }
}
