package io.chipwatch.collector.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The self-metrics of a real source (Prometheus names):
 * <ul>
 *   <li>{@code chipwatch_collector_source_readings_total{outcome="answered|failed"}}: scrapes (or nvidia-smi
 *       rounds) that answered, and those that failed as a whole;</li>
 *   <li>{@code chipwatch_collector_source_problems_total{reason}}: every problem, by {@link SourceProblem} (timeout,
 *       unreachable, http_status, malformed, missing_series, nan, bad_gpu);</li>
 *   <li>{@code chipwatch_collector_source_targets}, {@code chipwatch_collector_source_targets_down}: sources
 *       configured, and those down now (an open source-down event);</li>
 *   <li>{@code chipwatch_collector_source_up{source,node}} 1 or 0 per source, as Prometheus's {@code up}, and
 *       {@code chipwatch_chip_info{chip,node,UUID,modelName,Hostname}} 1 per chip seen (kept until restart):
 *       written by hand ({@link #writeTo}), since sources and chips come and go with the targets file.</li>
 * </ul>
 * A chip whose UUID changes (a GPU swapped under the same index) is logged.
 */
public final class SourceMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SourceMetrics.class);
    private final Counter answered;
    private final Counter failed;
    private final Map<SourceProblem, Counter> problems = new EnumMap<>(SourceProblem.class);
    private final Map<String, String> up = new ConcurrentHashMap<>();
    private final Map<String, ChipInfo> chips = new ConcurrentHashMap<>();
    private volatile int targets;
    private volatile int down;

    public SourceMetrics(MeterRegistry registry) {
        answered = Counter.builder("chipwatch.collector.source.readings").tag("outcome", "answered")
                .description("Readings of a source (scrapes, nvidia-smi rounds), by outcome").register(registry);
        failed = Counter.builder("chipwatch.collector.source.readings").tag("outcome", "failed")
                .description("Readings of a source (scrapes, nvidia-smi rounds), by outcome").register(registry);
        for (SourceProblem p : SourceProblem.values()) {
            problems.put(p, Counter.builder("chipwatch.collector.source.problems").tag("reason", p.label())
                    .description("Problems of the real sources' readings, by reason").register(registry));
        }
        Gauge.builder("chipwatch.collector.source.targets", this, m -> m.targets)
                .description("Sources configured (scrape targets, nvidia-smi)").register(registry);
        Gauge.builder("chipwatch.collector.source.targets.down", this, m -> m.down)
                .description("Sources down now (a telemetry_silent source-down event open)").register(registry);
    }

    /** Counts one reading and its problems; remembers its chips and whether the source answered. */
    public void onReading(String source, String node, SourceReading reading, boolean answered) {
        (answered ? this.answered : failed).increment();
        reading.problems().forEach((p, n) -> problems.get(p).increment(n));
        up.put(source, (answered ? "1" : "0") + "\u0000" + node);
        for (ChipInfo c : reading.chips()) {
            ChipInfo before = chips.put(c.chip(), c);
            if (before != null && !before.uuid().isEmpty() && !c.uuid().isEmpty() && !before.uuid().equals(c.uuid())) {
                LOG.warn("chip {}: UUID changed from {} to {} (GPU replaced, or the node's GPUs renumbered?)",
                        c.chip(), before.uuid(), c.uuid());
            }
        }
    }

    /** How many problems of this kind so far. */
    public double problems(SourceProblem p) {
        return problems.get(p).count();
    }

    /** The sources configured now, and how many are down; forgets the up series of sources gone. */
    public void sources(Set<String> sources, int downNow) {
        targets = sources.size();
        down = downNow;
        up.keySet().retainAll(sources);
    }

    /** The chip metadata seen, by chip id. */
    public Map<String, ChipInfo> chips() {
        return new LinkedHashMap<>(chips);
    }

    /** Writes the per-source and per-chip series (Prometheus text format). */
    public void writeTo(OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder(256 + 160 * (up.size() + chips.size()));
        b.append("# HELP chipwatch_collector_source_up Whether the source's last reading answered (1) or failed (0).\n")
                .append("# TYPE chipwatch_collector_source_up gauge\n");
        up.forEach((source, v) -> {
            int sep = v.indexOf('\u0000');
            b.append("chipwatch_collector_source_up{source=\"").append(escape(source)).append("\",node=\"")
                    .append(escape(v.substring(sep + 1))).append("\"} ").append(v, 0, sep).append('\n');
        });
        b.append("# HELP chipwatch_chip_info What the source says about a chip (value always 1).\n")
                .append("# TYPE chipwatch_chip_info gauge\n");
        chips.values().forEach(c -> b.append("chipwatch_chip_info{chip=\"").append(escape(c.chip()))
                .append("\",node=\"").append(escape(c.node())).append("\",UUID=\"").append(escape(c.uuid()))
                .append("\",modelName=\"").append(escape(c.model())).append("\",Hostname=\"")
                .append(escape(c.hostname())).append("\"} 1\n"));
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Prometheus label value escaping. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
