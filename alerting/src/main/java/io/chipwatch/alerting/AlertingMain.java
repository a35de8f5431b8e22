package io.chipwatch.alerting;

import io.chipwatch.alerting.insight.InsightSettings;
import io.chipwatch.alerting.insight.LinkWear;
import io.chipwatch.alerting.insight.RepeatOffenders;
import io.chipwatch.alerting.rules.Durations;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.rules.RulesException;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The alerting service's command line:
 * <pre>
 * java -cp alerting/target/classes:$(cat alerting/target/runtime.classpath) io.chipwatch.alerting.AlertingMain \
 *   --bootstrap 127.0.0.1:9092 --influx-url http://127.0.0.1:8086 --influx-db telemetry \
 *   --alertmanager-url http://127.0.0.1:9093 [--webhook URL]... [--port 9095] [--rules FILE]
 * </pre>
 * Exit codes: 0 stopped normally, 2 bad options or rules, 1 failed to start.
 */
@Command(name = "alerting", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Turns anomalies from Kafka into alerts: dedup, grouping, inhibition, silences, "
                + "acknowledgements; notifies Alertmanager and webhooks; serves a JSON API and a web page.")
public final class AlertingMain implements Callable<Integer> {

    /** The usual HTTP port of the service. */
    public static final int DEFAULT_PORT = 9095;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (required to run).")
    String bootstrap;

    @Option(names = KafkaClientSecurity.OPTION, paramLabel = "FILE",
            description = "Kafka credentials file (SASL/SCRAM; the local stack's kafka-alerting.properties);"
                    + " without it, PLAINTEXT.")
    Path kafkaCredentials;

    @Option(names = "--anomalies-topic", defaultValue = AlertingConfig.DEFAULT_ANOMALIES_TOPIC, paramLabel = "TOPIC",
            description = "Topic of the anomaly events (default: ${DEFAULT-VALUE}).")
    String anomaliesTopic;

    @Option(names = "--state-topic", defaultValue = AlertingConfig.DEFAULT_STATE_TOPIC, paramLabel = "TOPIC",
            description = "Compacted topic holding the service's state (default: ${DEFAULT-VALUE}); created if missing.")
    String stateTopic;

    @Option(names = "--group-id", defaultValue = AlertingConfig.DEFAULT_GROUP_ID, paramLabel = "ID",
            description = "Consumer group keeping the committed offsets (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--influx-url", paramLabel = "URL",
            description = "InfluxDB 1.x for the 'alert' measurement; none: not written.")
    String influxUrl;

    @Option(names = "--influx-db", defaultValue = AlertingConfig.DEFAULT_INFLUX_DB, paramLabel = "DB",
            description = "InfluxDB database (default: ${DEFAULT-VALUE}).")
    String influxDb;

    @Option(names = "--alertmanager-url", paramLabel = "URL",
            description = "Alertmanager to hand alerts to (API v2), e.g. http://127.0.0.1:9093.")
    String alertmanagerUrl;

    @Option(names = "--webhook", paramLabel = "[NAME=]URL",
            description = "Webhook receiver (Alertmanager's webhook JSON); repeatable.")
    List<String> webhooks = new ArrayList<>();

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "PORT",
            description = "HTTP port of the API and page (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--bind", defaultValue = AlertingConfig.DEFAULT_BIND, paramLabel = "ADDRESS",
            description = "Address the HTTP server binds to (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "API bearer token, generated on first start (default: $XDG_CONFIG_HOME/chipwatch/"
                    + "alerting-token or ~/.config/chipwatch/alerting-token).")
    Path tokenFile;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Alert rules (YAML); default: the built-in alert-rules.yaml (see --print-default-rules).")
    Path rules;

    @Option(names = "--external-url", paramLabel = "URL",
            description = "This service's URL as receivers should link to it (default: http://BIND:PORT).")
    String externalUrl;

    @Option(names = "--grafana-url", paramLabel = "URL", description = "Overrides global.grafana_url of the rules.")
    String grafanaUrl;

    @Option(names = "--samples-topic", defaultValue = "chip-samples", paramLabel = "TOPIC",
            description = "Topic of the chip samples, watched for silence (default: ${DEFAULT-VALUE}).")
    String samplesTopic;

    @Option(names = "--samples-silence-ms", defaultValue = "10000", paramLabel = "MS",
            description = "Raise telemetry_silent (entity collector) when nothing was written to the samples topic "
                    + "for this long; 0 = do not watch (default: ${DEFAULT-VALUE}).")
    long samplesSilenceMs;

    @Option(names = "--insight-interval", defaultValue = "15m", paramLabel = "DURATION",
            description = "With --influx-url: how often the history check looks for repeat-offender nodes and wearing "
                    + "links and writes the chip-hours lost to stragglers; 0 = no check (default: ${DEFAULT-VALUE}).")
    String insightInterval;

    @Option(names = "--lemon-min", defaultValue = "3", paramLabel = "N",
            description = "A node with this many anomalies within --lemon-history is a repeat offender "
                    + "(default: ${DEFAULT-VALUE}).")
    int lemonMin;

    @Option(names = "--lemon-history", defaultValue = "7d", paramLabel = "DURATION",
            description = "How far back anomalies count (default: ${DEFAULT-VALUE}).")
    String lemonHistory;

    @Option(names = "--wear-min-rise-pct", defaultValue = "20", paramLabel = "PERCENT",
            description = "A link whose latency trend rose this much over --wear-history is wearing "
                    + "(default: ${DEFAULT-VALUE}).")
    double wearMinRisePct;

    @Option(names = "--wear-history", defaultValue = "48h", paramLabel = "DURATION",
            description = "The hours of link latency the wear trend is judged on (default: ${DEFAULT-VALUE}).")
    String wearHistory;

    @Option(names = "--check-rules", description = "Validate the rules and exit (0 valid, 2 invalid).")
    boolean checkRules;

    @Option(names = "--print-default-rules", description = "Print the built-in rules file and exit.")
    boolean printDefaultRules;

    /** The history check's settings from the options; null for {@code --insight-interval 0}. */
    private InsightSettings insightSettings() {
        Duration every = "0".equals(insightInterval.trim()) ? Duration.ZERO : duration("--insight-interval",
                insightInterval);
        if (every.isZero()) {
            return null;
        }
        InsightSettings d = InsightSettings.DEFAULT;
        return d.withEvery(every)
                .withLemons(new RepeatOffenders.Policy(lemonMin, duration("--lemon-history", lemonHistory)))
                .withWear(new LinkWear.Policy(duration("--wear-history", wearHistory), d.wear().minHours(),
                        wearMinRisePct, d.wear().degradedRatio()));
    }

    private static Duration duration(String option, String text) {
        return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(option + ": \"" + text
                + "\" is not a duration (e.g. 15m, 48h, 7d)"));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; returns the exit code (the service blocks until the JVM is stopped). */
    public static int run(String... args) {
        return new CommandLine(new AlertingMain()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (printDefaultRules) {
            try (InputStream in = RulesLoader.class.getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
                System.out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return 0;
        }
        RuleSet loaded;
        try {
            loaded = RulesLoader.load(rules);
        } catch (RulesException e) {
            return badInput(e.getMessage());
        }
        if (checkRules) {
            System.out.printf("%s: valid, %d alert rule(s), %d inhibition rule(s)%n", loaded.source(),
                    loaded.rules().size() - loaded.unconfiguredTypes().size(), loaded.inhibitRules().size());
            return 0;
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            return badInput("Missing required option: '--bootstrap=HOST:PORT'");
        }
        AlertingConfig config = AlertingConfig.create(bootstrap)
                .kafkaCredentials(kafkaCredentials)
                .anomaliesTopic(anomaliesTopic)
                .stateTopic(stateTopic)
                .groupId(groupId)
                .influx(influxUrl, influxDb)
                .alertmanagerUrl(alertmanagerUrl)
                .bindAddress(bind)
                .port(port)
                .tokenFile(tokenFile != null ? tokenFile : SecretFile.defaultPath(SecretFile.ALERTING_TOKEN))
                .rulesFile(rules)
                .externalUrl(externalUrl)
                .grafanaUrl(grafanaUrl)
                .watchSamples(samplesSilenceMs > 0 ? samplesTopic : null,
                        Duration.ofMillis(Math.max(0, samplesSilenceMs)));
        try {
            webhooks.forEach(config::webhook);
            config.insights(insightSettings());
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        AlertingService service;
        try {
            service = AlertingService.start(config);
        } catch (RulesException e) {
            return badInput(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "alerting-shutdown"));
        System.out.println("alerting: " + service.url() + " (token in " + config.tokenFile() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Reports bad options or rules: nothing was started, exit code 2. */
    private static int badInput(String message) {
        System.err.println(message);
        return 2;
    }
}
