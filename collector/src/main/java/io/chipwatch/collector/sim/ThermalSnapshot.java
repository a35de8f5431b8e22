package io.chipwatch.collector.sim;

import java.util.Arrays;

/**
 * The simulated dies' temperatures at one tick: what a restarted simulating collector needs to go on from where the
 * cluster's dies were, instead of starting every die in equilibrium with its fresh-start load (which moves dies by
 * several degrees in a second, a jump no real restart of an exporter makes, read downstream as heat). Immutable.
 *
 * <p>A snapshot belongs to one cluster ({@code seed}, {@code chipCount}) and one shard ({@code shardFrom} to
 * {@code shardTo}); {@link ClusterSimulator#resume} refuses any other.
 *
 * @param timestampMillis the tick the temperatures belong to
 * @param seed            the simulation's seed
 * @param chipCount       chips in the whole cluster
 * @param shardFrom       first chip index of the shard (inclusive)
 * @param shardTo         last chip index of the shard (exclusive)
 * @param tempC           die temperatures of chips {@code shardFrom .. shardTo - 1}, °C (the true die, not the reading)
 */
public record ThermalSnapshot(long timestampMillis, long seed, int chipCount, int shardFrom, int shardTo,
                              double[] tempC) {
    public ThermalSnapshot {
        if (chipCount <= 0 || shardFrom < 0 || shardTo > chipCount || shardFrom > shardTo) {
            throw new IllegalArgumentException("bad shard " + shardFrom + ".." + shardTo + " of " + chipCount + " chips");
        }
        if (tempC.length != shardTo - shardFrom) {
            throw new IllegalArgumentException(tempC.length + " temperatures for a shard of " + (shardTo - shardFrom));
        }
        for (double t : tempC) {
            if (!Double.isFinite(t)) {
                throw new IllegalArgumentException("temperature " + t + " is not finite");
            }
        }
        tempC = tempC.clone();
    }

    @Override
    public double[] tempC() {
        return tempC.clone();
    }

    /** One die's temperature by its chip index in the cluster. */
    public double tempC(int chip) {
        return tempC[chip - shardFrom];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThermalSnapshot s && s.timestampMillis == timestampMillis && s.seed == seed
                && s.chipCount == chipCount && s.shardFrom == shardFrom && s.shardTo == shardTo
                && Arrays.equals(s.tempC, tempC);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(timestampMillis) + Arrays.hashCode(tempC);
    }

    @Override
    public String toString() {
        return "ThermalSnapshot[" + timestampMillis + ", seed " + seed + ", chips " + shardFrom + ".." + shardTo
                + " of " + chipCount + "]";
    }
}
