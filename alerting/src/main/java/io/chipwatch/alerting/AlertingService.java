package io.chipwatch.alerting;

import io.chipwatch.alerting.amsync.AlertmanagerSilences;
import io.chipwatch.alerting.amsync.SilenceSync;
import io.chipwatch.alerting.api.ApiServer;
import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.alerting.engine.AlertEngine;
import io.chipwatch.alerting.influx.AlertEventSink;
import io.chipwatch.alerting.influx.InfluxAlertWriter;
import io.chipwatch.alerting.insight.InfluxInsights;
import io.chipwatch.alerting.insight.InsightCheck;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import io.chipwatch.alerting.notify.Backoff;
import io.chipwatch.alerting.notify.Delivery;
import io.chipwatch.alerting.notify.Receiver;
import io.chipwatch.alerting.notify.alertmanager.AlertmanagerReceiver;
import io.chipwatch.alerting.notify.webhook.WebhookReceiver;
import io.chipwatch.alerting.pathwatch.AlertmanagerDelivery;
import io.chipwatch.alerting.pathwatch.CheckpointProbe;
import io.chipwatch.alerting.pathwatch.DeliveryPath;
import io.chipwatch.alerting.pathwatch.InfluxPing;
import io.chipwatch.alerting.pathwatch.InfluxWriteProbe;
import io.chipwatch.alerting.pathwatch.KafkaPath;
import io.chipwatch.alerting.pathwatch.KafkaTopicOffsets;
import io.chipwatch.alerting.pathwatch.PathProbe;
import io.chipwatch.alerting.pathwatch.PathWatch;
import io.chipwatch.alerting.pathwatch.PathWatchSettings;
import io.chipwatch.alerting.rules.GlobalSettings;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.engine.AlertInfo;
import io.chipwatch.alerting.source.AnomalyConsumer;
import io.chipwatch.alerting.source.SampleFlowWatch;
import io.chipwatch.alerting.state.KafkaStateStore;
import io.chipwatch.alerting.state.StateCodec;
import io.chipwatch.alerting.state.StateStore;
import io.chipwatch.infra.FreePorts;
import io.chipwatch.infra.metrics.SelfMetricsTarget;
import io.chipwatch.infra.secret.RedactedUrl;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.anomaly.Anomaly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running alerting service: reads anomalies from Kafka, keeps its state in the compacted state topic, notifies
 * Alertmanager and webhooks, serves the API and the page, writes the {@code alert} measurement. {@link #start}
 * returns once it serves; {@link #close()} stops it in order (input first).
 */
public final class AlertingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingService.class);
    /** The anomaly consumer is unhealthy when its last completed poll is older than this. */
    static final Duration CONSUMER_MAX_POLL_AGE = Duration.ofSeconds(60);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final AlertEngine engine;
    private final ApiServer api;
    private final AnomalyConsumer consumer;
    private final String url;
    private final String token;
    private final RuleSet rules;
    private final AlertingConfig config;
    private KafkaTopicOffsets watchOffsets;

    private AlertingService(AlertingConfig config, Clock clock) throws IOException {
        this.config = config;
        long t0 = System.nanoTime();
        RuleSet loaded = RulesLoader.load(config.rulesFile);
        if (config.grafanaUrl != null) {
            GlobalSettings g = loaded.global();
            loaded = loaded.withGlobal(new GlobalSettings(config.grafanaUrl.replaceAll("/+$", ""), g.runbookBaseUrl(),
                    g.drilldownPadding(), g.resolvedRetention(), g.historyLimit()));
        }
        if (!loaded.unconfiguredTypes().isEmpty()) {
            LOG.warn("rules {} have no rule for {}: those get a default alert (name from the type, the anomaly's "
                    + "severity)", loaded.source(), loaded.unconfiguredTypes());
        }
        this.token = config.token != null ? config.token : SecretFile.loadOrCreate(config.tokenFile);
        AlertingMetrics metrics = new AlertingMetrics();
        int port = config.port == 0 ? FreePorts.pick() : config.port;
        String host = config.bindAddress.equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress;
        this.url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String externalUrl = config.externalUrl != null ? config.externalUrl.replaceAll("/+$", "") : url;
        // By default the runbook links point at this service, which serves the repository's docs/runbooks.
        this.rules = loaded.withGlobal(loaded.global().withRunbooksServedAt(externalUrl));

        try {
            StateStore state = new KafkaStateStore(config.bootstrap, config.kafkaCredentials, config.stateTopic,
                    config.groupId);
            parts.add(state);
            if (config.influxUrl != null) {
                // Closed last, so its final write holds the final counts.
                parts.add(metrics.pushTo(new SelfMetricsTarget(config.influxUrl, config.influxDatabase,
                        config.influxCredentials, SelfMetricsTarget.DEFAULT_STEP)));
            }
            StateCodec.Restored restored = StateCodec.restore(state.load());
            if (!restored.unreadable().isEmpty()) {
                LOG.warn("skipped {} unreadable state record(s): {}", restored.unreadable().size(),
                        restored.unreadable());
            }

            List<Receiver> receivers = new ArrayList<>();
            if (config.alertmanagerUrl != null) {
                receivers.add(new AlertmanagerReceiver("alertmanager", URI.create(config.alertmanagerUrl),
                        config.deliveryTimeout, config.alertmanagerKeepalive, clock));
            }
            for (AlertingConfig.Webhook w : config.webhooks) {
                receivers.add(new WebhookReceiver(w.name(), w.url(), config.deliveryTimeout));
            }
            if (receivers.isEmpty()) {
                LOG.warn("no receivers configured (--alertmanager-url, --webhook): alerts are only shown on the page "
                        + "and the API");
            }
            Delivery delivery = new Delivery(receivers, Backoff.DEFAULT, metrics, clock);
            parts.add(0, delivery);
            AlertEventSink events = config.influxUrl == null ? AlertEventSink.NONE
                    : new InfluxAlertWriter(config.influxUrl, config.influxDatabase, config.influxCredentials, metrics);
            parts.add(0, events);

            this.engine = new AlertEngine(rules, clock, state, delivery, events, metrics, externalUrl);
            parts.add(0, engine);
            engine.restore(restored);

            this.consumer = new AnomalyConsumer(config.bootstrap, config.kafkaCredentials, config.anomaliesTopic,
                    config.groupId,
                    engine::ingest, metrics, engine::enableDispatch);
            Map<String, Object> staticStatus = new LinkedHashMap<>();
            staticStatus.put("rules", rules.source());
            staticStatus.put("anomaliesTopic", config.anomaliesTopic);
            staticStatus.put("stateTopic", config.stateTopic);
            this.api = new ApiServer(config.bindAddress, port, token, engine.facade(), metrics, () -> {
                Map<String, Object> s = new LinkedHashMap<>(staticStatus);
                s.put("consumerCaughtUp", consumer.caughtUp());
                s.put("consumer", consumer.health());
                s.put("receivers", delivery.health());
                return s;
            }, this::health, clock);
            parts.add(0, api);
            parts.add(0, consumer);
            engine.start(config.tick);
            syncSilences(metrics, clock);
            consumer.start();
            watchSamples(clock);
            watchPath(delivery, clock);
            checkHistory(clock);
            enableDispatchAfterTimeout();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("alerting service up at {} in {} ms: anomalies from {} ({}), state in {}, receivers {}, rules {}, "
                        + "token file {}", url, (System.nanoTime() - t0) / 1_000_000, config.anomaliesTopic,
                config.bootstrap, config.stateTopic, receiverNames(), rules.source(), config.tokenFile);
    }

    /**
     * Starts the service.
     *
     * @throws io.chipwatch.alerting.rules.RulesException when the rules file is invalid (before anything starts)
     */
    public static AlertingService start(AlertingConfig config) throws IOException {
        return new AlertingService(config, Clock.systemUTC());
    }

    public static AlertingService start(AlertingConfig config, Clock clock) throws IOException {
        return new AlertingService(config, clock);
    }

    /**
     * Liveness for {@code /healthz}: unhealthy (503) when the anomaly consumer's thread is gone or has not completed
     * a poll for {@link #CONSUMER_MAX_POLL_AGE} (it polls every 100 ms while Kafka answers).
     */
    public ApiServer.Health health() {
        AnomalyConsumer.Health c = consumer.health();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("anomalyConsumer", c);
        return new ApiServer.Health(c.healthy(CONSUMER_MAX_POLL_AGE) ? ApiServer.Health.OK : "unhealthy", checks);
    }

    /** Silences and acknowledgements shared with Alertmanager ({@link SilenceSync}), when configured. */
    private void syncSilences(AlertingMetrics metrics, Clock clock) {
        if (config.alertmanagerUrl == null || config.alertmanagerSync.isZero()) {
            return;
        }
        SilenceSync sync = new SilenceSync(new AlertmanagerSilences(URI.create(config.alertmanagerUrl),
                config.deliveryTimeout), engine.facade(), metrics, clock);
        parts.add(0, sync);
        sync.start(config.alertmanagerSync);
    }

    /** The collector's silence, in processing time ({@link SampleFlowWatch}), when configured. */
    private void watchSamples(Clock clock) {
        if (config.samplesTopic == null || config.samplesSilence.isZero()) {
            return;
        }
        Optional<Anomaly> adopted = engine.facade().activeAlerts(true).stream()
                .map(AlertInfo::alert)
                .map(a -> SampleFlowWatch.adopt(a.openAnomalyIds(), a.startsAt()))
                .flatMap(Optional::stream).findFirst();
        KafkaTopicOffsets offsets = watchOffsets();
        String topic = config.samplesTopic;
        SampleFlowWatch watch = new SampleFlowWatch(() -> offsets.newestTimestamp(topic), topic,
                config.samplesSilence, engine::ingest, adopted, clock);
        parts.add(0, watch);
        watch.start(Duration.ofSeconds(1));
    }

    /** The one admin client both watches read Kafka's offsets through, made by the first that needs it. */
    private KafkaTopicOffsets watchOffsets() {
        if (watchOffsets == null) {
            watchOffsets = new KafkaTopicOffsets(config.bootstrap, config.kafkaCredentials);
            parts.add(0, watchOffsets);
        }
        return watchOffsets;
    }

    /** Kafka, InfluxDB, the jobs' lag and checkpoints and the receivers ({@link PathWatch}), when configured. */
    private void watchPath(Delivery delivery, Clock clock) {
        PathWatchSettings s = config.pathWatch;
        if (s == null || config.samplesTopic == null) {
            return;
        }
        List<Anomaly> adopted = engine.facade().activeAlerts(true).stream().map(AlertInfo::alert)
                .flatMap(a -> PathWatch.adopt(a.openAnomalyIds(), a.startsAt()).stream()).toList();
        KafkaTopicOffsets offsets = watchOffsets();
        List<PathProbe> probes = new ArrayList<>();
        probes.add(new KafkaPath(offsets, config.bootstrap, config.samplesTopic, s.groups(), s.unreachableAfter(),
                s.lagLimit()));
        String aggregationRest = s.jobRest().get(PathWatchSettings.AGGREGATION);
        if (aggregationRest != null) {
            // Before InfluxPing: both report entity influxdb, one alert; when both do in one check, the later one's
            // words are kept, and InfluxDB not answering its /ping is the cause of its writes failing.
            probes.add(new InfluxWriteProbe(aggregationRest, s.influxWriteFailAfter()));
        }
        if (config.influxUrl != null) {
            probes.add(new InfluxPing(config.influxUrl, s.unreachableAfter()));
        }
        s.jobRest().forEach((job, rest) -> probes.add(new CheckpointProbe(job, rest,
                PathWatchSettings.CHECKPOINTS_FAILED_IN_A_ROW)));
        probes.add(new DeliveryPath(delivery::health, s.deliveryLimit()));
        if (config.alertmanagerUrl != null) {
            probes.add(new AlertmanagerDelivery(config.alertmanagerUrl, s.deliveryLimit(), () -> {
                LOG.info("Alertmanager at {} has restarted: re-posting the firing alerts and the Watchdog",
                        config.alertmanagerUrl);
                engine.resendKeepalives();
            }));
        }
        PathWatch watch = new PathWatch(probes, engine::ingest, adopted, clock);
        parts.add(0, watch);
        watch.start(s.every());
    }

    /** Repeat offenders, link wear and lost chip-hours from InfluxDB ({@link InsightCheck}), when configured. */
    private void checkHistory(Clock clock) {
        if (config.insights == null || config.influxUrl == null) {
            return;
        }
        List<Anomaly> adopted = engine.facade().activeAlerts(true).stream().map(AlertInfo::alert)
                .flatMap(a -> InsightCheck.adopt(a.openAnomalyIds(), a.startsAt()).stream()).toList();
        InfluxInsights influx = new InfluxInsights(config.influxUrl, config.influxDatabase, config.influxCredentials,
                Duration.ofMinutes(2));
        InsightCheck check = new InsightCheck(influx, influx, config.insights, engine::ingest, adopted, clock);
        parts.add(0, influx);
        parts.add(0, check);
        check.start();
    }

    private void enableDispatchAfterTimeout() {
        ScheduledExecutorService once =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-catchup-timeout"));
        once.schedule(() -> {
            if (!consumer.caughtUp()) {
                LOG.warn("the anomaly consumer has not caught up after {} s; notifying anyway",
                        config.catchUpTimeout.toSeconds());
                engine.enableDispatch();
            }
            once.shutdown();
        }, config.catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS);
        parts.add(once::shutdownNow);
    }

    private List<String> receiverNames() {
        List<String> names = new ArrayList<>();
        if (config.alertmanagerUrl != null) {
            names.add("alertmanager (" + config.alertmanagerUrl + ")");
        }
        config.webhooks.forEach(w -> names.add(w.name() + " (" + RedactedUrl.of(w.url()) + ")"));
        return names;
    }

    /** Base URL of the API and page, e.g. {@code http://127.0.0.1:9095}. */
    public String url() {
        return url;
    }

    public int port() {
        return api.port();
    }

    /** The API bearer token. */
    public String token() {
        return token;
    }

    public RuleSet rules() {
        return rules;
    }

    public AlertEngine engine() {
        return engine;
    }

    /** True once the consumer has read the anomalies published before the start. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    /** Stops: input first (consumer, API), then the engine, deliveries, InfluxDB writes, the state producer. */
    @Override
    public void close() {
        if (parts.isEmpty()) {
            return;
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", part, e.toString());
            }
        }
        parts.clear();
        LOG.info("alerting service at {} stopped", url);
    }
}
