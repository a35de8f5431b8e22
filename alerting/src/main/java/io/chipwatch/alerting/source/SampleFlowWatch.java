package io.chipwatch.alerting.source;

import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.alerting.pathwatch.KafkaTopicOffsets;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyState;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A dead collector pages: in processing time, every second, the time of the newest record of the samples topic
 * (Kafka's {@code maxTimestamp} offset of each partition, the producer's time); when it is {@code limit} or more
 * behind this service's clock (a topic not written to since this service started, never or only before a restart of the
 * stack: {@link #FIRST_RECORD_GRACE} after this service started), ONE {@link AnomalyType#TELEMETRY_SILENT} anomaly (entity {@value #COMPONENT}) goes
 * into the engine as if read from the anomalies topic, and it closes when a newer record appears.
 *
 * <p>Why here and not in the detection job: when no sample arrives, event time stops, so an event-time detector sees
 * nothing; a processing-time timer in the job would make replays (eval) depend on their speed and would die with the
 * job. This service is the one that pages, always runs, and needs no sample, only an offset look-up.
 *
 * <p>The anomaly's start is the newest record's time, so its id ({@code type:entity:start}) is the same after this
 * service restarts during the outage (the engine drops the repeat); one still open from before a restart is
 * adopted ({@code adopted}) and closed when data flows. When Kafka does not answer, nothing changes (the anomaly
 * consumer's health and the path watch's {@code pipeline_degraded kafka} say so), and once it answers again the
 * collector gets the whole limit to catch up before it is called silent: a Kafka outage is Kafka's alert, not the
 * collector's (it holds its samples and sends them when the broker is back). Runs on its own daemon thread.
 */
public final class SampleFlowWatch implements AutoCloseable {
    /** The entity the anomaly names: what writes the samples topic. */
    public static final String COMPONENT = "collector";
    /** How long a topic without any record may stay so after this service started (the collector's first start). */
    static final Duration FIRST_RECORD_GRACE = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(SampleFlowWatch.class);

    /** The newest record's time of the watched topic; empty when it has none (or does not exist). */
    @FunctionalInterface
    public interface NewestRecord {
        OptionalLong newestMillis() throws Exception;
    }

    private final NewestRecord newest;
    private final String topic;
    private final Duration limit;
    private final Function<List<Anomaly>, CompletableFuture<Void>> sink;
    private final Clock clock;
    private final long startedMillis;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-sample-flow"));
    private Anomaly open;
    private long failures;
    /** Since when Kafka has answered without a failed read (silence is judged only over that time). */
    private long answeringSinceMillis;
    private boolean answering = true;

    /**
     * @param newest  where the newest record's time comes from
     * @param topic   the samples topic (for the anomaly's detail)
     * @param limit   silence after which the anomaly opens
     * @param sink    the engine's ingest
     * @param adopted the open anomaly of this watch the engine still holds from before a restart, if any
     */
    public SampleFlowWatch(NewestRecord newest, String topic, Duration limit,
                           Function<List<Anomaly>, CompletableFuture<Void>> sink, Optional<Anomaly> adopted,
                           Clock clock) {
        this.newest = Objects.requireNonNull(newest, "newest");
        this.topic = topic;
        this.limit = limit;
        this.sink = sink;
        this.clock = clock;
        this.startedMillis = clock.millis();
        this.answeringSinceMillis = startedMillis;
        this.open = adopted.orElse(null);
    }

    /** Checks every {@code every} from now on. */
    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::checkSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("sample flow check failed: {}", e.toString(), e);
        }
    }

    /** One check: opens or closes the anomaly as the newest record's age says. Synchronous (tests call it). */
    synchronized void check() {
        OptionalLong newestMillis;
        try {
            newestMillis = newest.newestMillis();
        } catch (Exception e) {
            if (failures++ % 60 == 0) {
                LOG.warn("cannot tell when {} was last written ({} failure(s)): {}", topic, failures, e.toString());
            }
            answering = false;
            return;
        }
        long now = clock.millis();
        if (!answering) {
            answering = true;
            answeringSinceMillis = now;
        }
        if (open != null) {
            if (newestMillis.isPresent() && newestMillis.getAsLong() > open.startMillis()) {
                Anomaly closed = open.close(newestMillis.getAsLong());
                LOG.info("{} written again at {}: closing {}", topic, newestMillis.getAsLong(), open.id());
                open = null;
                sink.apply(List.of(closed));
            }
            return;
        }
        long last = newestMillis.orElse(startedMillis);
        long silent = now - last;
        // Nothing written since this service started: a fresh stack, or one started again after `down` (its newest
        // record is from before the down), whose collector starts after this service (on a loaded machine more than
        // the limit later), is no outage; one that never writes still pages, the first-record grace after this
        // service started.
        boolean writtenSinceStart = newestMillis.isPresent() && last >= startedMillis;
        long limit = writtenSinceStart ? this.limit.toMillis()
                : Math.max(this.limit.toMillis(), FIRST_RECORD_GRACE.toMillis());
        long waited = writtenSinceStart ? silent : now - startedMillis;
        if (waited >= limit && now - answeringSinceMillis >= limit) {
            open = Anomaly.builder()
                    .type(AnomalyType.TELEMETRY_SILENT).scope(Scope.SOURCE).entity(COMPONENT)
                    .startMillis(last).eventMillis(now)
                    .value(silent / 1000.0).threshold(limit / 1000.0)
                    .fact(Fact.SILENT_S, silent / 1000.0).fact(Fact.SILENCE_LIMIT_S, limit / 1000.0)
                    .detail(String.format(Locale.ROOT, "no sample written to %s for %.1f s (limit %.1f s): the %s "
                            + "is down or cannot reach Kafka%s", topic, silent / 1000.0, limit / 1000.0,
                            COMPONENT, newestMillis.isEmpty() ? " (the topic has no record)"
                                    : writtenSinceStart ? "" : " (none since this service started)"))
                    .build();
            LOG.warn("{}", open.detail());
            sink.apply(List.of(open));
        }
    }

    /** The open anomaly, if any (tests). */
    synchronized Optional<Anomaly> open() {
        return Optional.ofNullable(open);
    }

    /** The anomaly of this watch an engine alert still holds open (id {@code telemetry_silent:collector:start}). */
    public static Optional<Anomaly> adopt(List<String> openIds, long startsAt) {
        String prefix = AnomalyType.TELEMETRY_SILENT.label() + ":" + COMPONENT + ":";
        return openIds.stream().filter(id -> id.startsWith(prefix)).findFirst().map(id -> new Anomaly(id,
                AnomalyType.TELEMETRY_SILENT, AnomalyType.TELEMETRY_SILENT.defaultSeverity(), Scope.SOURCE, COMPONENT,
                Map.of(), AnomalyState.OPEN, Long.parseLong(id.substring(prefix.length())), null, startsAt, 0,
                Double.NaN, "", List.of()));
    }

    /** The newest record time of {@code topic} on the Kafka at {@code bootstrap}, with an admin client of its own. */
    public static final class KafkaNewestRecord implements NewestRecord, AutoCloseable {
        private final KafkaTopicOffsets offsets;
        private final String topic;

        public KafkaNewestRecord(String bootstrap, Path credentials, String topic) {
            this.offsets = new KafkaTopicOffsets(bootstrap, credentials);
            this.topic = topic;
        }

        @Override
        public OptionalLong newestMillis() throws Exception {
            return offsets.newestTimestamp(topic);
        }

        @Override
        public void close() {
            offsets.close();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
