package io.chipwatch.collector.sim;

import java.util.Arrays;

/**
 * The simulated dies' true temperatures (not the sensors' readings) and the tick they belong to: what a
 * {@link ClusterSimulator} integrates tick by tick, and what a restarted collector {@link #resume}s from a
 * {@link ThermalSnapshot}. Not thread-safe: the simulator's sampling thread only.
 */
final class DieTemperatures {
    /** Per chip index, °C. */
    final double[] tempC;
    private final long seed;
    private final int shardFrom;
    private final int shardTo;
    private long lastTimestampMillis;
    private boolean started;

    DieTemperatures(long seed, int chipCount, int shardFrom, int shardTo) {
        this.tempC = new double[chipCount];
        this.seed = seed;
        this.shardFrom = shardFrom;
        this.shardTo = shardTo;
    }

    /** Whether the dies have a past: a tick ran, or they resumed from a snapshot. */
    boolean started() {
        return started;
    }

    /** Time since the dies' last tick, ms; 0 before any. */
    long millisSinceLast(long now) {
        return started ? now - lastTimestampMillis : 0;
    }

    /** After a tick at {@code now}. */
    void ticked(long now) {
        started = true;
        lastTimestampMillis = now;
    }

    ThermalSnapshot snapshot() {
        if (!started) {
            throw new IllegalStateException("no tick yet");
        }
        return new ThermalSnapshot(lastTimestampMillis, seed, tempC.length, shardFrom, shardTo,
                Arrays.copyOfRange(tempC, shardFrom, shardTo));
    }

    /**
     * Takes the snapshot's temperatures and tick (see {@link ClusterSimulator#resume}).
     *
     * @param nextTimestampMillis the simulator's next tick, which the snapshot must precede
     */
    void resume(ThermalSnapshot snapshot, long nextTimestampMillis) {
        if (started) {
            throw new IllegalStateException("resume before the first tick");
        }
        if (snapshot.seed() != seed || snapshot.chipCount() != tempC.length || snapshot.shardFrom() != shardFrom
                || snapshot.shardTo() != shardTo) {
            throw new IllegalArgumentException("the snapshot is of seed " + snapshot.seed() + ", chips "
                    + snapshot.shardFrom() + ".." + snapshot.shardTo() + " of " + snapshot.chipCount()
                    + "; this simulator has seed " + seed + ", chips " + shardFrom + ".." + shardTo + " of "
                    + tempC.length);
        }
        if (snapshot.timestampMillis() >= nextTimestampMillis) {
            throw new IllegalArgumentException("the snapshot's tick " + snapshot.timestampMillis()
                    + " is not before the next tick " + nextTimestampMillis);
        }
        for (int c = shardFrom; c < shardTo; c++) {
            tempC[c] = snapshot.tempC(c);
        }
        lastTimestampMillis = snapshot.timestampMillis();
        started = true;
    }
}
