package io.chipwatch.cli.stack.supervise;

import io.chipwatch.cli.stack.ClusterComponents;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackProbes;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.UpOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's components as the supervisor sees them: every component {@code up} starts (Grafana, optional
 * and possibly in a container, is not watched), alive while the pid in the stack's state file runs and is ours,
 * restarted by {@link LocalStack#restart} with the options {@code up} had.
 */
public final class StackSupervised implements Supervised {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private final LocalStack stack;
    private final UpOptions options;
    private final List<String> names;

    /** Every component {@code up} starts ({@link LocalStack#componentNames}). */
    public StackSupervised(LocalStack stack, UpOptions options) {
        this(stack, options, LocalStack.componentNames(options.cluster()));
    }

    /** Only these components of the stack (tests). */
    public StackSupervised(LocalStack stack, UpOptions options, List<String> names) {
        this.stack = stack;
        this.options = options;
        this.names = List.copyOf(names);
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public Optional<Long> pid(String component) {
        StackState state = state();
        return stack.alive(state, component) ? Optional.of(state.pids.get(component)) : Optional.empty();
    }

    @Override
    public long restart(String component) throws Exception {
        return stack.restart(component, options);
    }

    /**
     * Whether the component's HTTP endpoint answers at all within 5 s: InfluxDB {@code /ping}, Alertmanager
     * {@code /-/ready}, the Flink jobs' REST API, alerting's and the collector's {@code /healthz} (503 counts as an
     * answer: a dependency is down, a restart would not help). Kafka has no HTTP endpoint and is not probed.
     */
    @Override
    public boolean answers(String component) {
        String path = switch (component) {
            case LocalStack.INFLUXDB -> "/ping";
            case LocalStack.ALERTMANAGER -> "/-/ready";
            case LocalStack.FLINK, LocalStack.DETECTION, ClusterComponents.JOBMANAGER -> "/config";
            case LocalStack.ALERTING, LocalStack.COLLECTOR -> "/healthz";
            default -> null;
        };
        String url = path == null ? null : LocalStack.url(state(), component);
        return url == null || StackProbes.responds(url + path, PROBE_TIMEOUT);
    }

    /** The Kafka bootstrap address the stack records now (null before Kafka ever started). */
    public String kafkaBootstrap() {
        return LocalStack.url(state(), LocalStack.KAFKA);
    }

    /** The supervisor's Kafka client settings: the CLI's own principal where the stack's Kafka authenticates. */
    public Map<String, String> kafkaSecurity() {
        return LocalStack.kafkaAdminSettings(state());
    }

    private StackState state() {
        try {
            return stack.state();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
