package io.chipwatch.collector.source;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Scope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a source that stops answering into a telemetry-path event: when every reading of a source (a scrape target,
 * an nvidia-smi command) has failed for {@code downAfter}, ONE {@code telemetry_silent} anomaly opens, scope
 * {@code source}, entity the source (its URL), tagged with its node, rack and pod; it closes at the first reading
 * that answers again, or when the source leaves the targets file. The alert rules hold back that node's
 * {@code node_down}/{@code chip_down} while it fires ({@code equal: [node]}): the chips are not known to be down,
 * their exporter is. The detail says which it probably is: a refused connection means the host answers and only its
 * exporter is down; a timeout means the node may be down too.
 *
 * <p>Not thread-safe: the source loop's thread calls it.
 */
public final class SourceDownTracker {
    /** Where a source sits. */
    public record Location(String node, String rack, String pod) {
    }

    private final Duration downAfter;
    private final Map<String, Long> failingSince = new HashMap<>();
    private final Map<String, Anomaly> open = new HashMap<>();

    public SourceDownTracker(Duration downAfter) {
        this.downAfter = downAfter;
    }

    /**
     * One reading of {@code source} at {@code nowMillis}: answered (samples or not) or failed as a whole.
     *
     * @return the anomaly events to publish (an open or a close), usually none
     */
    public List<Anomaly> onReading(String source, Location where, boolean answered, SourceProblem problem,
                                   String detail, long nowMillis) {
        if (answered) {
            failingSince.remove(source);
            Anomaly a = open.remove(source);
            return a == null ? List.of() : List.of(a.close(Math.max(nowMillis, a.startMillis())));
        }
        long since = failingSince.computeIfAbsent(source, k -> nowMillis);
        long silent = nowMillis - since;
        if (open.containsKey(source) || silent < downAfter.toMillis()) {
            return List.of();
        }
        String why = problem == SourceProblem.UNREACHABLE && detail.contains("refused")
                ? "connection refused: the host answers, its exporter does not"
                : problem == SourceProblem.TIMEOUT ? "timed out: the exporter or the whole node may be down"
                : problem.label() + ": " + detail;
        Anomaly a = Anomaly.builder()
                .type(AnomalyType.TELEMETRY_SILENT).scope(Scope.SOURCE).entity(source)
                .tag("node", where.node()).tag("rack", where.rack()).tag("pod", where.pod())
                .startMillis(since).eventMillis(nowMillis)
                .value(silent / 1000.0).threshold(downAfter.toMillis() / 1000.0)
                .fact(Fact.SILENT_S, silent / 1000.0).fact(Fact.SILENCE_LIMIT_S, downAfter.toMillis() / 1000.0)
                .detail(String.format(Locale.ROOT, "source %s of node %s has not answered for %.1f s (%s)", source,
                        where.node(), silent / 1000.0, why))
                .build();
        open.put(source, a);
        return List.of(a);
    }

    /** Sources no longer configured: their open anomalies close, their failures are forgotten. */
    public List<Anomaly> retain(Set<String> sources, long nowMillis) {
        failingSince.keySet().retainAll(sources);
        List<Anomaly> closed = new ArrayList<>();
        open.entrySet().removeIf(e -> {
            if (sources.contains(e.getKey())) {
                return false;
            }
            closed.add(e.getValue().close(Math.max(nowMillis, e.getValue().startMillis())));
            return true;
        });
        return closed;
    }

    /** Sources down now (an open anomaly). */
    public int down() {
        return open.size();
    }

    /** Whether {@code source} is down now. */
    public boolean isDown(String source) {
        return open.containsKey(source);
    }
}
