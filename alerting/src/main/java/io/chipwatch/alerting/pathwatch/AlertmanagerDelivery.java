package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this service cannot see itself: Alertmanager failing to deliver to its own receivers (the webhooks of
 * {@code up --webhook}, a pager). From Alertmanager's {@code /metrics}, per integration ({@code webhook},
 * {@code email}...): {@code alertmanager_notifications_total} (attempts) and
 * {@code alertmanager_notifications_failed_total} (failed attempts, summed over their {@code reason}s). An integration
 * whose every attempt between checks failed, for {@code limit}, is a problem (entity
 * {@code alertmanager-INTEGRATION}); a successful attempt clears it; checks with no attempt change nothing.
 * Alertmanager not answering cannot tell (the supervisor reports it dead). Not thread-safe (one {@link PathWatch}).
 *
 * <p>It also sees Alertmanager restart ({@code process_start_time_seconds} changed since the last answer) and then
 * runs {@code onRestart}: a restarted Alertmanager knows none of the alerts it was told (it keeps them in memory), so
 * the service re-posts its firing alerts and the Watchdog at once rather than at the next keepalive.
 */
public final class AlertmanagerDelivery implements PathProbe {
    private static final Pattern SAMPLE = Pattern.compile(
            "^alertmanager_notifications(_failed)?_total\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern INTEGRATION = Pattern.compile("integration=\"([^\"]*)\"");
    private static final Pattern START_TIME = Pattern.compile("^process_start_time_seconds\\s+(\\S+)",
            Pattern.MULTILINE);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI metrics;
    private final Duration limit;
    /** Per integration: attempts and failures at the last check. */
    private final Map<String, double[]> last = new HashMap<>();
    private final Map<String, Failing> failing = new HashMap<>();
    private final Runnable onRestart;
    /** Alertmanager's process start time at the last answer (NaN: not known yet). */
    private double startedAt = Double.NaN;

    /**
     * @param alertmanagerUrl Alertmanager's base URL
     * @param limit           how long every attempt of an integration may fail before it is a problem
     * @param onRestart       run (on the path watch's thread) when Alertmanager has restarted since the last check
     */
    public AlertmanagerDelivery(String alertmanagerUrl, Duration limit, Runnable onRestart) {
        this.metrics = URI.create(alertmanagerUrl.replaceAll("/+$", "") + "/metrics");
        this.limit = limit;
        this.onRestart = onRestart;
    }

    @Override
    public List<PathProblem> problems(long nowMillis) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(3)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(metrics + " answered HTTP " + r.statusCode());
        }
        noticeRestart(r.body());
        return judge(counts(r.body()), nowMillis);
    }

    /** Runs {@code onRestart} when the process start time in {@code text} differs from the last one seen. */
    void noticeRestart(String text) {
        Matcher m = START_TIME.matcher(text);
        if (!m.find()) {
            return;
        }
        double started = Double.parseDouble(m.group(1));
        boolean restarted = !Double.isNaN(startedAt) && started != startedAt;
        startedAt = started;
        if (restarted) {
            onRestart.run();
        }
    }

    /** Attempts and failures per integration, from Prometheus' text format. */
    static Map<String, double[]> counts(String text) {
        Map<String, double[]> counts = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Matcher i = INTEGRATION.matcher(m.group(2));
            if (!i.find()) {
                continue;
            }
            double[] c = counts.computeIfAbsent(i.group(1), k -> new double[2]);
            c[m.group(1) == null ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        return counts;
    }

    /** The problems {@code now}'s counts show against the last check's. */
    List<PathProblem> judge(Map<String, double[]> now, long nowMillis) {
        List<PathProblem> problems = new ArrayList<>();
        for (Map.Entry<String, double[]> e : now.entrySet()) {
            String integration = e.getKey();
            double[] before = last.put(integration, e.getValue().clone());
            if (before == null) {
                continue;
            }
            double attempts = e.getValue()[0] - before[0];
            double failed = e.getValue()[1] - before[1];
            Failing f = failing.computeIfAbsent(integration, k -> new Failing());
            if (attempts < 0 || failed < 0 || attempts > failed) {
                // Restarted (counters reset), or at least one attempt succeeded.
                f.success();
            } else if (failed > 0) {
                f.failure(nowMillis, String.format(Locale.ROOT, "%.0f of %.0f attempts failed since the last check",
                        failed, attempts));
            }
            long ms = f.failingMillis(nowMillis);
            if (ms >= limit.toMillis()) {
                problems.add(new PathProblem("alertmanager-" + integration, Severity.CRITICAL, f.since(),
                        String.format(Locale.ROOT, "Alertmanager has failed every %s notification for %.0f s (limit "
                                + "%.0f s; alertmanager_notifications_failed_total, %s): pages it routes there are "
                                + "not arriving", integration, ms / 1000.0, limit.toMillis() / 1000.0,
                                f.lastError()),
                        Map.of(Fact.FAILING_S, ms / 1000.0, Fact.FAILING_LIMIT_S, limit.toMillis() / 1000.0)));
            }
        }
        return problems;
    }

    @Override
    public String toString() {
        return "Alertmanager's deliveries at " + metrics;
    }
}
