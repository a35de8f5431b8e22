package io.chipwatch.jobs.sink.influx;

import io.chipwatch.model.anomaly.Anomaly;
import org.influxdb.dto.Point;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Anomaly} event as a point of measurement {@value #MEASUREMENT} (CONTRACTS.md §3): tags
 * {@code type,severity,scope,entity} plus the anomaly's hierarchy tags ({@code pod,rack,node,chip,link,peer,job}
 * as apply); fields {@code id,state,value,threshold,detail} and {@code affected} (the ids of a roll-up,
 * comma-separated, empty for none); timestamp = the event's {@code eventMillis} (the open event at detection,
 * the close event at the end). A non-finite value or threshold is left out: InfluxDB has no NaN.
 */
public final class AnomalyToPoint implements PointConverter<Anomaly> {
    private static final long serialVersionUID = 1L;

    /** Measurement name. */
    public static final String MEASUREMENT = "anomaly";

    @Override
    public Point toPoint(Anomaly a) {
        Point.Builder point = Point.measurement(MEASUREMENT)
                .time(a.eventMillis(), TimeUnit.MILLISECONDS)
                .tag("type", a.type().label())
                .tag("severity", a.severity().label())
                .tag("scope", a.scope().label())
                .tag("entity", a.entity());
        for (Map.Entry<String, String> tag : a.tags().entrySet()) {
            if (Anomaly.HIERARCHY_KEYS.contains(tag.getKey())) {
                point.tag(tag.getKey(), tag.getValue());
            }
        }
        point.addField("id", a.id())
                .addField("state", a.state().label())
                .addField("detail", a.detail())
                .addField("affected", String.join(",", a.affected()));
        if (Double.isFinite(a.value())) {
            point.addField("value", a.value());
        }
        if (Double.isFinite(a.threshold())) {
            point.addField("threshold", a.threshold());
        }
        return point.build();
    }
}
