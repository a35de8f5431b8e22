package io.chipwatch.alerting;

import io.chipwatch.alerting.insight.InsightSettings;
import io.chipwatch.alerting.pathwatch.PathWatchSettings;
import io.chipwatch.infra.secret.RedactedUrl;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.influx.InfluxCredentials;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the alerting service needs to start; {@link AlertingMain} fills it from the command line, tests
 * directly. Only {@code bootstrap} is required.
 */
public final class AlertingConfig {
    public static final String DEFAULT_ANOMALIES_TOPIC = "anomalies";
    public static final String DEFAULT_STATE_TOPIC = "alerting-state";
    public static final String DEFAULT_GROUP_ID = "chipwatch-alerting";
    public static final String DEFAULT_INFLUX_DB = "telemetry";
    public static final String DEFAULT_BIND = "127.0.0.1";

    String bootstrap;
    Path kafkaCredentials;
    String anomaliesTopic = DEFAULT_ANOMALIES_TOPIC;
    String stateTopic = DEFAULT_STATE_TOPIC;
    String groupId = DEFAULT_GROUP_ID;
    String influxUrl;
    String influxDatabase = DEFAULT_INFLUX_DB;
    Optional<InfluxCredentials> influxCredentials = Optional.empty();
    String alertmanagerUrl;
    final List<Webhook> webhooks = new ArrayList<>();
    String bindAddress = DEFAULT_BIND;
    int port = AlertingMain.DEFAULT_PORT;
    Path tokenFile = SecretFile.defaultPath(SecretFile.ALERTING_TOKEN);
    String token;
    Path rulesFile;
    String externalUrl;
    String grafanaUrl;
    Duration tick = Duration.ofMillis(50);
    Duration deliveryTimeout = Duration.ofSeconds(5);
    Duration alertmanagerKeepalive = Duration.ofMinutes(1);
    Duration alertmanagerSync = Duration.ofSeconds(5);
    Duration catchUpTimeout = Duration.ofSeconds(60);
    String samplesTopic;
    Duration samplesSilence = Duration.ofSeconds(10);
    InsightSettings insights;
    PathWatchSettings pathWatch;

    /** A webhook receiver: its name (metrics, logs, payload) and URL. */
    public record Webhook(String name, URI url) {
    }

    public static AlertingConfig create(String bootstrap) {
        AlertingConfig c = new AlertingConfig();
        c.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        return c;
    }

    /** The Kafka credentials file of every Kafka client of the service; null (default) for PLAINTEXT. */
    public AlertingConfig kafkaCredentials(Path file) {
        this.kafkaCredentials = file;
        return this;
    }

    public AlertingConfig anomaliesTopic(String topic) {
        this.anomaliesTopic = topic;
        return this;
    }

    public AlertingConfig stateTopic(String topic) {
        this.stateTopic = topic;
        return this;
    }

    /** Consumer group that keeps the committed offsets of the anomalies topic. */
    public AlertingConfig groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    /** InfluxDB for the {@code alert} measurement; null: not written. */
    public AlertingConfig influx(String url, String database) {
        this.influxUrl = url;
        this.influxDatabase = database;
        return this;
    }

    /** Who the InfluxDB clients (alert writer, history check) are; empty: no credentials. */
    public AlertingConfig influxCredentials(Optional<InfluxCredentials> credentials) {
        this.influxCredentials = Objects.requireNonNull(credentials, "credentials");
        return this;
    }

    /** Alertmanager base URL (API v2 under it); null: none. */
    public AlertingConfig alertmanagerUrl(String url) {
        this.alertmanagerUrl = url;
        return this;
    }

    /**
     * Adds a webhook receiver from {@code URL} or {@code NAME=URL}; unnamed ones are {@code webhook-1},
     * {@code webhook-2}...
     */
    public AlertingConfig webhook(String spec) {
        String name;
        String url;
        int eq = spec.indexOf('=');
        if (eq > 0 && spec.substring(0, eq).matches("[A-Za-z0-9_.-]+") && !spec.substring(0, eq).contains(":")) {
            name = spec.substring(0, eq);
            url = spec.substring(eq + 1);
        } else {
            name = "webhook-" + (webhooks.size() + 1);
            url = spec;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook " + name + ": not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook " + name + " (" + RedactedUrl.of(uri) + "): not an http(s) URL");
        }
        if (webhooks.stream().anyMatch(w -> w.name().equals(name)) || name.equals("alertmanager")) {
            throw new IllegalArgumentException("webhook " + name + " (" + RedactedUrl.of(uri)
                    + "): a receiver named " + name + " exists already");
        }
        webhooks.add(new Webhook(name, uri));
        return this;
    }

    /** Address the HTTP API binds to; default 127.0.0.1. */
    public AlertingConfig bindAddress(String address) {
        this.bindAddress = address;
        return this;
    }

    /** HTTP port; 0 picks a free one. */
    public AlertingConfig port(int port) {
        this.port = port;
        return this;
    }

    /**
     * The API token itself (e.g. from the environment, compose's {@code CHIPWATCH_ALERTING_TOKEN}) instead of
     * {@link #tokenFile}; null: the file's.
     */
    public AlertingConfig token(String token) {
        this.token = token;
        return this;
    }

    public AlertingConfig tokenFile(Path file) {
        this.tokenFile = file;
        return this;
    }

    /** Rules file; null: the built-in defaults. */
    public AlertingConfig rulesFile(Path file) {
        this.rulesFile = file;
        return this;
    }

    /** Base URL of this service as others reach it (links in notifications); default http://ADDRESS:PORT. */
    public AlertingConfig externalUrl(String url) {
        this.externalUrl = url;
        return this;
    }

    /** Overrides the rules file's {@code global.grafana_url}. */
    public AlertingConfig grafanaUrl(String url) {
        this.grafanaUrl = url;
        return this;
    }

    /** How often the engine checks timers (group_wait and friends); default 50 ms. */
    public AlertingConfig tick(Duration tick) {
        this.tick = tick;
        return this;
    }

    /**
     * Watch {@code topic} (the chip samples): a telemetry_silent alert naming the collector when nothing has been
     * written to it for {@code silence}; {@code null} topic (the default here; the command line watches
     * {@code chip-samples}) or a zero silence: no watch.
     */
    public AlertingConfig watchSamples(String topic, Duration silence) {
        this.samplesTopic = topic;
        this.samplesSilence = silence;
        return this;
    }

    /**
     * Run the history check (insight/InsightCheck: repeat-offender nodes, wearing
     * links, lost chip-hours) with these settings, reading the InfluxDB of {@link #influx}; {@code null} (the default
     * here; the command line runs it whenever it has an InfluxDB) or no InfluxDB: no check.
     */
    public AlertingConfig insights(InsightSettings settings) {
        this.insights = settings;
        return this;
    }

    /**
     * Run the path watch (pathwatch/PathWatch: Kafka or InfluxDB not answering, a job behind the samples topic, a
     * receiver failing) on the samples topic of {@link #watchSamples}; {@code null} (the default here; the command
     * line runs it) or no samples topic: no watch.
     */
    public AlertingConfig pathWatch(PathWatchSettings settings) {
        this.pathWatch = settings;
        return this;
    }

    /**
     * How often silences and acknowledgements are synced with Alertmanager's silences ({@code amsync/SilenceSync});
     * default 5 s; zero: no sync. Only with an {@link #alertmanagerUrl}.
     */
    public AlertingConfig alertmanagerSync(Duration interval) {
        this.alertmanagerSync = interval;
        return this;
    }

    public AlertingConfig alertmanagerKeepalive(Duration keepalive) {
        this.alertmanagerKeepalive = keepalive;
        return this;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String anomaliesTopic() {
        return anomaliesTopic;
    }

    public String stateTopic() {
        return stateTopic;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public List<Webhook> webhooks() {
        return List.copyOf(webhooks);
    }
}
