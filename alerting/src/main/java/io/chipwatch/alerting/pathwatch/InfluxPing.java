package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * InfluxDB not answering its {@code /ping} (no credentials needed) for {@code limit}: roll-ups, anomalies and alert
 * history are not stored, dashboards go stale (entity {@code influxdb}, as the supervisor names it). Writes that
 * fail while it answers are {@link InfluxWriteProbe}'s, the same alert.
 */
public final class InfluxPing implements PathProbe {
    /** The entity, as the supervisor names the component. */
    public static final String INFLUXDB = "influxdb";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI ping;
    private final String where;
    private final Duration limit;
    private final Failing failing = new Failing();

    public InfluxPing(String influxUrl, Duration limit) {
        this.where = influxUrl.replaceAll("/+$", "");
        this.ping = URI.create(where + "/ping");
        this.limit = limit;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                failing.success();
                return List.of();
            }
            failing.failure(nowMillis, "HTTP " + r.statusCode());
        } catch (IOException e) {
            failing.failure(nowMillis, e.toString());
        }
        long ms = failing.failingMillis(nowMillis);
        if (ms < limit.toMillis()) {
            return List.of();
        }
        return List.of(new PathProblem(INFLUXDB, Severity.CRITICAL, failing.since(), String.format(Locale.ROOT,
                "InfluxDB at %s has not answered for %.0f s (limit %.0f s): roll-ups, anomalies and alert history "
                        + "are not stored and dashboards are stale; last error: %s", where, ms / 1000.0,
                limit.toMillis() / 1000.0, failing.lastError()),
                Map.of(Fact.FAILING_S, ms / 1000.0, Fact.FAILING_LIMIT_S, limit.toMillis() / 1000.0)));
    }
}
