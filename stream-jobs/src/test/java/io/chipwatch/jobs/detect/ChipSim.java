package io.chipwatch.jobs.detect;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;

import java.util.List;

/**
 * A hand-driven chip for detector tests, with the physics of CONTRACTS.md §1 (and the collector's simulator): power
 * linear in utilisation, the die a first-order lag towards {@code inlet + R x power}, plus whatever a test adds
 * (fault heat, a frozen or absurd reading). Deterministic: no noise unless a test adds it.
 */
final class ChipSim {
    final String chip;
    final String node;
    final String rack;
    final String pod;
    String job;
    double inletC = 27.0;
    double resistance = 0.13;
    double tauS = 30.0;
    double idleW = 90.0;
    double maxW = 400.0;
    double util;
    double extraHeatC;
    double tempC = Double.NaN;
    /** A stuck sensor: when set, every reading is this value. */
    double frozenC = Double.NaN;
    List<LinkLatency> links = List.of();

    ChipSim(String chip, String node, String rack, String job) {
        this.chip = chip;
        this.node = node;
        this.rack = rack;
        this.pod = "p00";
        this.job = job;
    }

    /** A chip with the simulator's id scheme: {@code p00-rRR-nNN-cCC}. */
    static ChipSim of(int rack, int node, int chip, String job) {
        String r = String.format("p00-r%02d", rack);
        String n = r + String.format("-n%02d", node);
        return new ChipSim(n + String.format("-c%02d", chip), n, r, job);
    }

    double power() {
        return idleW + (maxW - idleW) * util / 100.0;
    }

    /** Advances the physics one step of {@code dtMillis} and returns the sample at {@code ts}. */
    ChipSample step(long ts, long dtMillis) {
        double steady = inletC + resistance * power();
        if (Double.isNaN(tempC)) {
            tempC = steady;
        } else {
            tempC += -Math.expm1(-dtMillis / 1000.0 / tauS) * (steady - tempC);
        }
        return sample(ts, Double.isNaN(frozenC) ? tempC + extraHeatC : frozenC);
    }

    /** A sample at {@code ts} with the current state but the given temperature reading. */
    ChipSample sample(long ts, double reading) {
        return new ChipSample(ts, chip, node, rack, pod, job, util, reading, power(), links);
    }
}
