package io.chipwatch.cli.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code up} was asked for.
 *
 * @param chips    number of simulated chips
 * @param seed     simulator seed
 * @param scenario scenario file the collector plays (faults at given offsets), or {@code null}
 * @param webhooks webhooks ({@code [NAME=]URL}) the local Alertmanager pages (none: it pages nobody)
 * @param targets  with a real fleet: the Prometheus file_sd file the collector scrapes ({@code --source prometheus});
 *                 {@code null}: the simulator
 * @param cluster  with {@code --cluster}: the Kafka cluster's and Flink session cluster's size ({@link ClusterComponents});
 *                 {@code null}: one broker and a local Flink cluster per job
 */
public record UpOptions(int chips, long seed, Path scenario, List<String> webhooks, Path targets, ClusterSize cluster) {

    public UpOptions {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    public UpOptions(int chips, long seed, Path scenario, List<String> webhooks, Path targets) {
        this(chips, seed, scenario, webhooks, targets, null);
    }

    public UpOptions(int chips, long seed, Path scenario, List<String> webhooks) {
        this(chips, seed, scenario, webhooks, null);
    }

    /** The jobs' {@code --chips}: the simulated cluster's, or 0 (any chip id) for a real fleet's own names. */
    public int jobChips() {
        return targets == null ? chips : 0;
    }

    public UpOptions(int chips, long seed, Path scenario) {
        this(chips, seed, scenario, List.of());
    }

    public UpOptions(int chips, long seed) {
        this(chips, seed, null);
    }
}
