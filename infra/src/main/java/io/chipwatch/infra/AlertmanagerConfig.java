package io.chipwatch.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A minimal {@code alertmanager.yml} for {@link LocalAlertmanager}: one route, to a receiver that sends nowhere
 * ({@link #nullReceiver()}: Alertmanager keeps and shows the alerts, its UI and API are the point) or to webhooks
 * ({@link #webhooks}: the local stack's {@code up --webhook}, so that Alertmanager's silences and the
 * acknowledgements Chipwatch mirrors there decide who is paged). Either way the always-firing {@code Watchdog} goes
 * to the null receiver (a sub-route): it is for a dead man's switch, never a page. Grouping and timing default to
 * the alerting service's own (group by alertname and entity, 1 s wait, 10 s interval, 4 h repeat).
 */
public final class AlertmanagerConfig {
    /** Name of the receiver that sends nowhere. */
    public static final String NULL_RECEIVER = "chipwatch-null";
    /** Name of the webhook receiver. */
    public static final String WEBHOOK_RECEIVER = "chipwatch-webhook";
    /** The alerting service's heartbeat, routed to the null receiver. */
    public static final String WATCHDOG = "Watchdog";

    private final List<String> webhookUrls;
    private List<String> groupBy = List.of("alertname", "entity");
    private Duration groupWait = Duration.ofSeconds(1);
    private Duration groupInterval = Duration.ofSeconds(10);
    private Duration repeatInterval = Duration.ofHours(4);
    private Duration resolveTimeout = Duration.ofMinutes(5);

    private AlertmanagerConfig(List<String> webhookUrls) {
        this.webhookUrls = List.copyOf(webhookUrls);
    }

    /** Routes every alert to a receiver without integrations. */
    public static AlertmanagerConfig nullReceiver() {
        return new AlertmanagerConfig(List.of());
    }

    /** Routes every alert to these webhook URLs (send_resolved on). */
    public static AlertmanagerConfig webhooks(String... urls) {
        if (urls.length == 0) {
            throw new IllegalArgumentException("at least one webhook URL");
        }
        for (String u : urls) {
            Objects.requireNonNull(u, "url");
        }
        return new AlertmanagerConfig(List.of(urls));
    }

    public AlertmanagerConfig groupBy(List<String> labels) {
        this.groupBy = List.copyOf(labels);
        return this;
    }

    public AlertmanagerConfig timing(Duration groupWait, Duration groupInterval, Duration repeatInterval) {
        this.groupWait = groupWait;
        this.groupInterval = groupInterval;
        this.repeatInterval = repeatInterval;
        return this;
    }

    public AlertmanagerConfig resolveTimeout(Duration resolveTimeout) {
        this.resolveTimeout = resolveTimeout;
        return this;
    }

    /** The YAML text. */
    public String render() {
        StringBuilder y = new StringBuilder();
        y.append("# Written by Chipwatch (LocalAlertmanager); rewritten at every start.\n");
        y.append("global:\n");
        y.append("  resolve_timeout: ").append(seconds(resolveTimeout)).append('\n');
        y.append("route:\n");
        y.append("  receiver: ").append(webhookUrls.isEmpty() ? NULL_RECEIVER : WEBHOOK_RECEIVER).append('\n');
        y.append("  group_by: [");
        List<String> quoted = new ArrayList<>();
        groupBy.forEach(l -> quoted.add(quote(l)));
        y.append(String.join(", ", quoted)).append("]\n");
        y.append("  group_wait: ").append(seconds(groupWait)).append('\n');
        y.append("  group_interval: ").append(seconds(groupInterval)).append('\n');
        y.append("  repeat_interval: ").append(seconds(repeatInterval)).append('\n');
        y.append("  routes:\n");
        y.append("    - receiver: ").append(NULL_RECEIVER).append('\n');
        y.append("      matchers: ['alertname=\"").append(WATCHDOG).append("\"']\n");
        y.append("receivers:\n");
        y.append("  - name: ").append(NULL_RECEIVER).append('\n');
        if (!webhookUrls.isEmpty()) {
            y.append("  - name: ").append(WEBHOOK_RECEIVER).append('\n');
            y.append("    webhook_configs:\n");
            for (String url : webhookUrls) {
                y.append("      - url: ").append(quote(url)).append('\n');
                y.append("        send_resolved: true\n");
            }
        }
        return y.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
