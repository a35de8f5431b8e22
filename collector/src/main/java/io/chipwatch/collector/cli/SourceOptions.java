package io.chipwatch.collector.cli;

import io.chipwatch.collector.metrics.CollectorMetrics;
import io.chipwatch.collector.source.smi.NvidiaSmiCsv;
import io.chipwatch.model.anomaly.Anomaly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The collector's options that choose where samples come from (a picocli mixin): the simulator (default), a fleet of
 * Prometheus scrape targets (dcgm-exporter) listed in a {@code file_sd} file, or one node's nvidia-smi.
 */
public final class SourceOptions {
    private static final Logger LOG = LoggerFactory.getLogger(SourceOptions.class);

    /** Where samples come from. */
    public enum Kind {
        SIM, PROMETHEUS, NVIDIA_SMI;

        /** Accepts {@code sim}, {@code prometheus}, {@code nvidia-smi} (any case). */
        static Kind parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The nvidia-smi command run by default. */
    public static final String DEFAULT_SMI = "nvidia-smi --query-gpu=" + NvidiaSmiCsv.QUERY
            + " --format=csv,noheader,nounits -l 1";

    @Option(names = "--source", defaultValue = "sim", paramLabel = "sim|prometheus|nvidia-smi",
            converter = KindConverter.class,
            description = "Where samples come from: the simulator, the dcgm-exporter targets of --targets, or "
                    + "nvidia-smi (default: ${DEFAULT-VALUE}).")
    Kind source;

    @Option(names = "--targets", paramLabel = "FILE",
            description = "Prometheus file_sd file (JSON, or YAML when named .yml/.yaml) listing the targets to scrape "
                    + "with their pod, rack and node labels; re-read when it changes. Needed by --source prometheus.")
    Path targets;

    @Option(names = "--scrape-timeout", converter = DurationConverter.class, paramLabel = "D",
            description = "Timeout of one scrape, at most the interval (default: 80 % of --interval-ms).")
    Duration scrapeTimeout;

    @Option(names = "--scrape-concurrency", defaultValue = "64", paramLabel = "N",
            description = "Scrapes in flight at most (default: ${DEFAULT-VALUE}).")
    int scrapeConcurrency;

    @Option(names = "--source-down-after", defaultValue = "10s", converter = DurationConverter.class,
            paramLabel = "D",
            description = "A source failing every reading this long is a source-down event, a telemetry_silent anomaly "
                    + "naming it (default: ${DEFAULT-VALUE}).")
    Duration sourceDownAfter;

    @Option(names = "--anomalies-topic", defaultValue = Anomaly.TOPIC, paramLabel = "T",
            description = "Topic the source-down events go to (the alerting service reads it); empty = only logged "
                    + "(default: ${DEFAULT-VALUE}).")
    String anomaliesTopic;

    @Option(names = "--nvidia-smi", paramLabel = "COMMAND|-", defaultValue = DEFAULT_SMI,
            description = "With --source nvidia-smi: the command to run (by /bin/sh -c; e.g. over ssh), or - to read "
                    + "its output from standard input (default: ${DEFAULT-VALUE}).")
    String smiCommand;

    @Option(names = "--node", paramLabel = "ID", description = "With --source nvidia-smi: the node's id.")
    String node;

    @Option(names = "--rack", paramLabel = "ID", description = "With --source nvidia-smi: the node's rack id.")
    String rack;

    @Option(names = "--pod", paramLabel = "ID", description = "With --source nvidia-smi: the node's pod id.")
    String pod;

    @Option(names = "--write-file-sd", paramLabel = "FILE",
            description = "With the simulator: write its per-node targets (/metrics/node/<node id>) to FILE as a "
                    + "Prometheus file_sd list once the endpoint is up, for Prometheus or --source prometheus.")
    Path fileSdOut;

    /** Writes the simulator's per-node targets to {@code --write-file-sd} (whole, by rename), if asked. */
    void writeFileSd(CollectorMetrics metrics, String endpointUrl) {
        if (fileSdOut == null) {
            return;
        }
        String address = URI.create(endpointUrl).getAuthority();
        try {
            Path tmp = fileSdOut.resolveSibling(fileSdOut.getFileName() + ".tmp");
            Files.writeString(tmp, metrics.fileSd(address), StandardCharsets.UTF_8);
            Files.move(tmp, fileSdOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("per-node targets written to {} ({})", fileSdOut, address);
        } catch (IOException e) {
            LOG.warn("cannot write --write-file-sd {}: {}", fileSdOut, e.toString());
        }
    }

    /** Whether samples come from a real source rather than the simulator. */
    boolean real() {
        return source != Kind.SIM;
    }

    /** picocli converter for {@link Kind}. */
    static final class KindConverter implements ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            try {
                return Kind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected sim, prometheus or nvidia-smi, got '"
                        + value + "'");
            }
        }
    }
}
