package io.chipwatch.collector.sim;

import java.util.Objects;

/**
 * Which imperfections of real accelerator telemetry the simulator puts into its data (docs/SIMULATOR.md has one
 * section per imperfection, with its source). Every one is on by default ({@link #REAL}); a scenario may turn any
 * of them off, and {@link #CLEAN} turns them all off (the idealised physics: power linear in utilisation, readings
 * at full resolution, every sample on time).
 *
 * @param workloadPhases   jobs move through compute-bound, memory-bound, communication and data-loading phases,
 *                         each with its own power per unit of utilisation
 * @param realReadings     readings as real sources report them: integer temperature and utilisation, utilisation
 *                         and power averaged over the last sampling window
 * @param chipVariation    chip-to-chip spread that stays: power efficiency, a hot-but-healthy chip in a few hundred,
 *                         inlet air differing across a rack
 * @param normalLookalikes normal behaviour that looks like a fault: job-wide power capping, thermal slowdown near
 *                         the limit, checkpoint pauses, evaluation steps
 * @param transport        the transport's imperfections (late, duplicated, dropped samples, node clock offsets)
 */
public record Imperfections(boolean workloadPhases, boolean realReadings, boolean chipVariation,
                            boolean normalLookalikes, TransportNoise transport) {

    /** Everything on, at the default rates. */
    public static final Imperfections REAL = new Imperfections(true, true, true, true, TransportNoise.DEFAULT);
    /** Everything off: the idealised simulator. */
    public static final Imperfections CLEAN = new Imperfections(false, false, false, false, TransportNoise.NONE);

    public Imperfections {
        Objects.requireNonNull(transport, "transport");
    }

    public Imperfections withWorkloadPhases(boolean on) {
        return new Imperfections(on, realReadings, chipVariation, normalLookalikes, transport);
    }

    public Imperfections withRealReadings(boolean on) {
        return new Imperfections(workloadPhases, on, chipVariation, normalLookalikes, transport);
    }

    public Imperfections withChipVariation(boolean on) {
        return new Imperfections(workloadPhases, realReadings, on, normalLookalikes, transport);
    }

    public Imperfections withNormalLookalikes(boolean on) {
        return new Imperfections(workloadPhases, realReadings, chipVariation, on, transport);
    }

    public Imperfections withTransport(TransportNoise t) {
        return new Imperfections(workloadPhases, realReadings, chipVariation, normalLookalikes, t);
    }
}
