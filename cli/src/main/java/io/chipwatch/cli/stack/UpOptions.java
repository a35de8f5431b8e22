package io.chipwatch.cli.stack;

/**
 * What {@code up} was asked for.
 *
 * @param chips number of simulated chips
 * @param seed  simulator seed
 */
public record UpOptions(int chips, long seed) {
}
