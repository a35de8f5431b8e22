package io.chipwatch.collector.cli;

import io.chipwatch.collector.control.MetricsServer;
import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.publish.SampleBuffer;
import io.chipwatch.collector.runtime.RealTimeSampler;
import io.chipwatch.collector.source.AnomalyPublisher;
import io.chipwatch.collector.source.SourceDownTracker;
import io.chipwatch.collector.source.SourceMetrics;
import io.chipwatch.collector.source.prometheus.ScrapeLoop;
import io.chipwatch.collector.source.prometheus.TargetsFile;
import io.chipwatch.collector.source.smi.SmiLoop;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.sample.ChipSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The collector with a real source ({@code --source prometheus|nvidia-smi}): the same Kafka publisher and send buffer
 * as the simulator's run, the source's loop ({@link ScrapeLoop}, {@link SmiLoop}) in place of the simulator, a
 * {@link MetricsServer} ({@code /metrics}, {@code /healthz}; no {@code /faults}), and the source-down events on the
 * anomalies topic ({@link AnomalyPublisher}). {@link #run} blocks until {@link #stop}.
 */
final class RealSourceRun {
    private static final Logger LOG = LoggerFactory.getLogger(RealSourceRun.class);

    /** What the run needs from the command line. */
    record Settings(SourceOptions source, long intervalMillis, String bootstrap, Path kafkaCredentials,
                    String metricsHost, int metricsPort, List<String> allowedHosts) {
    }

    private final Settings settings;
    private final InputStream stdin;
    private volatile Runnable stopper;
    private volatile MetricsServer server;
    private volatile boolean stopRequested;

    /**
     * @throws IllegalArgumentException when the options do not fit together (the message names the option)
     */
    RealSourceRun(Settings settings, InputStream stdin) {
        this.settings = settings;
        this.stdin = stdin;
        SourceOptions o = settings.source();
        if (o.source == SourceOptions.Kind.PROMETHEUS && o.targets == null) {
            throw new IllegalArgumentException("--source prometheus needs --targets FILE (Prometheus file_sd JSON)");
        }
        if (o.source == SourceOptions.Kind.NVIDIA_SMI && (o.node == null || o.rack == null || o.pod == null)) {
            throw new IllegalArgumentException("--source nvidia-smi needs --node, --rack and --pod");
        }
        if (o.scrapeConcurrency < 1) {
            throw new IllegalArgumentException("--scrape-concurrency must be at least 1");
        }
        if (o.scrapeTimeout != null && o.scrapeTimeout.toMillis() > settings.intervalMillis()) {
            throw new IllegalArgumentException("--scrape-timeout must be at most the interval ("
                    + settings.intervalMillis() + " ms)");
        }
    }

    /** Runs until stopped; throws when the server cannot bind. */
    void run(KafkaSamplePublisher publisher, SampleBuffer buffer, CollectorMetrics metrics) throws Exception {
        SourceOptions o = settings.source();
        SourceMetrics sourceMetrics = metrics.bindSource();
        metrics.expectTicksEvery(Duration.ofMillis(settings.intervalMillis()));
        if (settings.metricsPort() >= 0) {
            server = new MetricsServer(settings.metricsHost(), settings.metricsPort(), settings.allowedHosts(), metrics);
            LOG.info("metrics endpoint on {}/metrics", server.url());
        }
        AnomalyPublisher anomalies = o.anomaliesTopic.isBlank() ? null
                : new AnomalyPublisher(settings.bootstrap(), settings.kafkaCredentials(), o.anomaliesTopic);
        Consumer<Anomaly> events = anomalies != null ? anomalies : a -> LOG.warn("{}: {}", a.id(), a.detail());
        long[] produced = new long[1];
        Consumer<ChipSample> sink = s -> {
            produced[0]++;
            buffer.accept(s);
        };
        RealTimeSampler.TickListener listener = (ts, nanos, skipped) -> {
            buffer.endTick();
            metrics.onTick((int) produced[0], nanos, skipped);
            produced[0] = 0;
        };
        try {
            long interval = settings.intervalMillis();
            if (o.source == SourceOptions.Kind.PROMETHEUS) {
                Duration timeout = o.scrapeTimeout != null ? o.scrapeTimeout : Duration.ofMillis(interval * 4 / 5);
                ScrapeLoop loop = new ScrapeLoop(new TargetsFile(o.targets), interval, timeout, o.scrapeConcurrency,
                        o.sourceDownAfter, sourceMetrics, sink, events, listener);
                stopper = loop::stop;
                LOG.info("scraping the targets of {} every {} ms (timeout {} ms, {} at once) to {}", o.targets,
                        interval, timeout.toMillis(), o.scrapeConcurrency, publisher.topic());
                if (!stopRequested) {
                    loop.run();
                }
            } else {
                SmiLoop loop = new SmiLoop(o.smiCommand, stdin, new SourceDownTracker.Location(o.node, o.rack, o.pod),
                        interval, o.sourceDownAfter, sourceMetrics, sink, events, listener);
                stopper = loop::stop;
                LOG.info("reading nvidia-smi ({}) for node {} to {}", o.smiCommand, o.node, publisher.topic());
                if (!stopRequested) {
                    loop.run();
                }
            }
        } finally {
            MetricsServer s = server;
            if (s != null) {
                s.close();
            }
            if (anomalies != null) {
                anomalies.close();
            }
        }
    }

    /** The bound endpoint's base URL, or null before it is up. */
    String url() {
        MetricsServer s = server;
        return s == null ? null : s.url();
    }

    /** Ends {@link #run} after the reading in progress; safe from any thread. */
    void stop() {
        stopRequested = true;
        Runnable r = stopper;
        if (r != null) {
            r.run();
        }
    }
}
