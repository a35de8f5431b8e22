package io.chipwatch.alerting;

import io.chipwatch.alerting.insight.InsightSettings;
import io.chipwatch.alerting.insight.LinkWear;
import io.chipwatch.alerting.insight.RepeatOffenders;
import io.chipwatch.alerting.pathwatch.PathWatchSettings;
import io.chipwatch.alerting.rules.Durations;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.rules.RulesException;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.influx.InfluxCredentials;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** The bind address, when {@code --bind} is not given. */
    public static final String BIND_ENV = "CHIPWATCH_ALERTING_BIND";
    /** The API token itself (docker-compose), instead of {@code --token-file}. */
    public static final String TOKEN_ENV = "CHIPWATCH_ALERTING_TOKEN";

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

    @Option(names = "--influx-credentials-file", paramLabel = "FILE",
            description = "InfluxDB credentials, a file of one line user:password (mode 600) [else the environment's "
                    + InfluxCredentials.ENV_FILE + ", or " + InfluxCredentials.ENV_USER + " and "
                    + InfluxCredentials.ENV_PASSWORD + "; else none].")
    Path influxCredentialsFile;

    @Option(names = "--alertmanager-url", paramLabel = "URL",
            description = "Alertmanager to hand alerts to (API v2), e.g. http://127.0.0.1:9093.")
    String alertmanagerUrl;

    @Option(names = "--alertmanager-sync-ms", defaultValue = "5000", paramLabel = "MS",
            description = "With --alertmanager-url: how often silences and acknowledgements are synced with "
                    + "Alertmanager's silences (both ways); 0 = no sync (default: ${DEFAULT-VALUE}).")
    long alertmanagerSyncMs;

    @Option(names = "--webhook", paramLabel = "[NAME=]URL",
            description = "Webhook receiver (Alertmanager's webhook JSON); repeatable. A URL often carries a token: "
                    + "prefer --webhooks-file or " + WebhookSources.ENV + ", which keep it off the command line.")
    List<String> webhooks = new ArrayList<>();

    @Option(names = "--webhooks-file", paramLabel = "FILE",
            description = "Webhook receivers, one [NAME=]URL a line (# comments); else the environment's "
                    + WebhookSources.ENV + " (whitespace-separated).")
    Path webhooksFile;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "PORT",
            description = "HTTP port of the API and page (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address the HTTP server binds to (default: " + BIND_ENV + " from the environment, else "
                    + AlertingConfig.DEFAULT_BIND + "; docker-compose sets 0.0.0.0 inside its container).")
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

    @Option(names = "--job-lag-limit", defaultValue = "60s", paramLabel = "DURATION",
            description = "Raise pipeline_degraded naming a stream job whose consumer group is this far behind the "
                    + "samples topic (in time of samples); the same watch reports Kafka or InfluxDB not answering for "
                    + "15 s and a receiver failing for 30 s; 0 = no path watch (default: ${DEFAULT-VALUE}).")
    String jobLagLimit;

    @Option(names = "--watch-group", paramLabel = "NAME=GROUP",
            description = "A stream job to watch for lag: its component name and consumer group; repeatable "
                    + "(default: flink=chipwatch-aggregation and detection=chipwatch-detection).")
    List<String> watchGroups = new ArrayList<>();

    @Option(names = "--watch-job", paramLabel = "NAME=URL",
            description = "A stream job whose checkpoints to watch: its component name and Flink REST API URL; "
                    + "pipeline_degraded names it when its last " + PathWatchSettings.CHECKPOINTS_FAILED_IN_A_ROW
                    + " checkpoints failed in a row; repeatable (default: none).")
    List<String> watchJobs = new ArrayList<>();

    @Option(names = "--influx-write-fail-after", defaultValue = "30s", paramLabel = "DURATION",
            description = "With --watch-job " + PathWatchSettings.AGGREGATION + "=URL: raise pipeline_degraded naming "
                    + "influxdb when the aggregation job's InfluxDB writes have been failing this long, none "
                    + "succeeding (read from its sinks' metrics through that REST API; default: ${DEFAULT-VALUE}).")
    String influxWriteFailAfter;

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

    /** The path watch's settings from the options; null for {@code --job-lag-limit 0}. */
    private PathWatchSettings pathWatchSettings() {
        if ("0".equals(jobLagLimit.trim())) {
            return null;
        }
        PathWatchSettings s = PathWatchSettings.DEFAULT.withLagLimit(duration("--job-lag-limit", jobLagLimit))
                .withJobRest(pairs("--watch-job", watchJobs, "URL detection=http://127.0.0.1:8082"))
                .withInfluxWriteFailAfter(positive("--influx-write-fail-after", influxWriteFailAfter));
        return watchGroups.isEmpty() ? s
                : s.withGroups(pairs("--watch-group", watchGroups, "GROUP detection=chipwatch-detection"));
    }

    /** {@code NAME=VALUE} options as a map, in order. */
    private static Map<String, String> pairs(String option, List<String> specs, String example) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException(option + " " + spec + ": expected NAME="
                        + example.substring(0, example.indexOf(' ')) + ", e.g. " + example.substring(
                        example.indexOf(' ') + 1));
            }
            pairs.put(spec.substring(0, eq), spec.substring(eq + 1));
        }
        return pairs;
    }

    private static Duration positive(String option, String text) {
        Duration d = duration(option, text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + ": \"" + text + "\" must be a positive duration (e.g. 30s)");
        }
        return d;
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
        AlertingConfig config;
        try {
            config = config(System.getenv());
        } catch (IllegalArgumentException | IllegalStateException e) {
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
        System.out.println("alerting: " + service.url() + (config.token != null ? " (token from " + TOKEN_ENV + ")"
                : " (token in " + config.tokenFile() + ")"));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /**
     * The service's configuration from the parsed options and {@code env} (the process's environment:
     * {@value #BIND_ENV}, {@value #TOKEN_ENV}, {@link WebhookSources#ENV}, the InfluxDB credentials'); starts
     * nothing.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} naming a bad option or variable
     */
    AlertingConfig config(Map<String, String> env) {
        AlertingConfig config = AlertingConfig.create(bootstrap)
                .kafkaCredentials(kafkaCredentials)
                .anomaliesTopic(anomaliesTopic)
                .stateTopic(stateTopic)
                .groupId(groupId)
                .influx(influxUrl, influxDb)
                .alertmanagerUrl(alertmanagerUrl)
                .alertmanagerSync(Duration.ofMillis(Math.max(0, alertmanagerSyncMs)))
                .bindAddress(bind != null ? bind : env.getOrDefault(BIND_ENV, AlertingConfig.DEFAULT_BIND))
                .port(port)
                .tokenFile(tokenFile != null ? tokenFile : SecretFile.defaultPath(SecretFile.ALERTING_TOKEN))
                .rulesFile(rules)
                .externalUrl(externalUrl)
                .grafanaUrl(grafanaUrl)
                .watchSamples(samplesSilenceMs > 0 ? samplesTopic : null,
                        Duration.ofMillis(Math.max(0, samplesSilenceMs)));
        WebhookSources.specs(webhooks, webhooksFile, env).forEach(config::webhook);
        config.influxCredentials(InfluxCredentials.resolve(Optional.ofNullable(influxCredentialsFile), env));
        String envToken = env.get(TOKEN_ENV);
        if (tokenFile == null && envToken != null && !envToken.isBlank()) {
            config.token(envToken(envToken.strip()));
        }
        config.insights(insightSettings());
        config.pathWatch(pathWatchSettings());
        return config;
    }

    /** Parses {@code args} and makes the configuration with {@code env}, as {@link #run} would; starts nothing. */
    static AlertingConfig parse(Map<String, String> env, String... args) {
        AlertingMain main = new AlertingMain();
        new CommandLine(main).parseArgs(args);
        return main.config(env);
    }

    /** A token from the environment, held to the rules of a generated one (at least 16 characters, no spaces). */
    static String envToken(String token) {
        if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(TOKEN_ENV + " holds no usable token (at least 16 characters, no "
                    + "spaces)");
        }
        return token;
    }

    /** Reports bad options or rules: nothing was started, exit code 2. */
    private static int badInput(String message) {
        System.err.println(message);
        return 2;
    }
}
