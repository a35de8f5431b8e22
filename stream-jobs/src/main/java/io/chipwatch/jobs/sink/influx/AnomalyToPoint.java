package io.chipwatch.jobs.sink.influx;

import io.chipwatch.model.anomaly.Anomaly;

import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link Anomaly} event as a point of measurement {@value #MEASUREMENT} (CONTRACTS.md §3): tags
 * {@code type,severity,scope,entity} plus the anomaly's hierarchy tags ({@code pod,rack,node,chip,link,peer,job}
 * as apply); fields {@code id,state,value,threshold,detail} and {@code affected} (the ids of a roll-up,
 * comma-separated, empty for none); timestamp = the event's {@code eventMillis} (the open event at detection,
 * the close event at the end). A non-finite value or threshold is left out: InfluxDB has no NaN
 * ({@link LineProtocol} leaves such a field out).
 */
public final class AnomalyToPoint implements PointConverter<Anomaly> {
    private static final long serialVersionUID = 1L;

    /** Measurement name. */
    public static final String MEASUREMENT = "anomaly";

    @Override
    public void write(Anomaly a, LineProtocol point) {
        // Tags in key order: the fixed ones and the anomaly's hierarchy tags together.
        Map<String, String> tags = new TreeMap<>();
        for (Map.Entry<String, String> tag : a.tags().entrySet()) {
            if (Anomaly.HIERARCHY_KEYS.contains(tag.getKey())) {
                tags.put(tag.getKey(), tag.getValue());
            }
        }
        tags.put("type", a.type().label());
        tags.put("severity", a.severity().label());
        tags.put("scope", a.scope().label());
        tags.put("entity", a.entity());
        point.measurement(MEASUREMENT);
        tags.forEach(point::tag);
        point.field("affected", String.join(",", a.affected()))
                .field("detail", a.detail())
                .field("id", a.id())
                .field("state", a.state().label())
                .field("threshold", a.threshold())
                .field("value", a.value())
                .time(a.eventMillis());
    }
}
