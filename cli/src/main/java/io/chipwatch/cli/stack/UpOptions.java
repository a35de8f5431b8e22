package io.chipwatch.cli.stack;

import java.nio.file.Path;

/**
 * What {@code up} was asked for.
 *
 * @param chips    number of simulated chips
 * @param seed     simulator seed
 * @param scenario scenario file the collector plays (faults at given offsets), or {@code null}
 */
public record UpOptions(int chips, long seed, Path scenario) {

    public UpOptions(int chips, long seed) {
        this(chips, seed, null);
    }
}
