package io.chipwatch.collector.cli;

import io.chipwatch.collector.runtime.ThermalStateFile;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.ThermalSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code --state-file}: where a simulating collector keeps its dies' temperatures, so that a restart goes on from
 * where the dies were (collector/README.md, "Restarting"). Resumed from at start, saved at most every
 * {@link #SAVE_EVERY} after a tick and once more at a clean stop. Without the option each does nothing.
 */
public final class StateFileOptions {
    private static final Logger LOG = LoggerFactory.getLogger(StateFileOptions.class);
    /** How often the file is saved. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(1);

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Keep the simulated dies' temperatures in FILE (saved every second) and go on from them "
                    + "when the collector starts again, as real dies do across an exporter's restart; without it a "
                    + "start puts every die in equilibrium with its fresh-start load (default: none).")
    Path file;

    private ThermalStateFile state;

    private ThermalStateFile state() {
        if (state == null && file != null) {
            state = new ThermalStateFile(file, SAVE_EVERY);
        }
        return state;
    }

    /**
     * Before the first tick: the simulator goes on from the dies' temperatures a previous run left in the file. A
     * missing, unreadable or foreign file (another seed, size or shard) is logged and the dies start in equilibrium.
     */
    void resume(ClusterSimulator simulator) {
        ThermalStateFile s = state();
        if (s == null) {
            return;
        }
        try {
            Optional<ThermalSnapshot> snapshot = s.load();
            if (snapshot.isEmpty()) {
                LOG.info("no thermal state at {}: the dies start in equilibrium", s.path());
                return;
            }
            simulator.resume(snapshot.get());
            LOG.info("dies' temperatures resumed from {}: tick {}, {} s before the first tick", s.path(),
                    snapshot.get().timestampMillis(),
                    (simulator.nextTimestampMillis() - snapshot.get().timestampMillis()) / 1000.0);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("thermal state at {} not used, the dies start in equilibrium: {}", s.path(), e.getMessage());
        }
    }

    /** After a tick, on the sampling thread: saves when due; a failure is logged, never thrown. */
    void afterTick(ClusterSimulator simulator) {
        ThermalStateFile s = state();
        if (s != null) {
            s.saveIfDue(simulator::thermalSnapshot, System.nanoTime());
        }
    }

    /** At a clean stop, after the last tick: saves the dies as they are now. */
    void atStop(ClusterSimulator simulator) {
        ThermalStateFile s = state();
        if (s == null || simulator.latestTimestampMillis() < 0) {
            return;
        }
        try {
            s.save(simulator.thermalSnapshot());
        } catch (IOException e) {
            LOG.warn("cannot save the dies' temperatures to {}: {}", s.path(), e.toString());
        }
    }
}
