package io.chipwatch.cli.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code up} was asked for.
 *
 * @param chips    number of simulated chips
 * @param seed     simulator seed
 * @param scenario scenario file the collector plays (faults at given offsets), or {@code null}
 * @param webhooks webhook receivers ({@code [NAME=]URL}) the alerting service notifies besides Alertmanager
 */
public record UpOptions(int chips, long seed, Path scenario, List<String> webhooks) {

    public UpOptions {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    public UpOptions(int chips, long seed, Path scenario) {
        this(chips, seed, scenario, List.of());
    }

    public UpOptions(int chips, long seed) {
        this(chips, seed, null);
    }
}
