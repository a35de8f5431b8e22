package io.chipwatch.collector.sim;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What the active faults do to each chip, rack and link, as the physics asks it per sample: the {@link Fault}s
 * register here ({@link Fault#applyTo}), and the simulator hands its readings to {@link #utilisation},
 * {@link #temperature}, {@link #latency} and the like, which apply the registered faults' own effects. A chip that
 * no fault touches takes none of these paths, so its readings are exactly those of a fault-free run.
 *
 * <p>Also the state the physics keeps under a fault: the overheat excess (it decays after the end) and the frozen
 * sensor value. Written on the sampling thread only; nothing here allocates after construction.
 */
final class FaultEffects {
    private static final byte LINK_OK = 0;
    private static final byte LINK_HUGE = 1;
    private static final byte LINK_MISSING = 2;

    private final int chipsPerNode;

    // Per chip: the active fault of each kind (null: none), outage count, overheat excess and frozen reading.
    private final boolean[] faulted;
    private final int[] silent;
    private final Fault.Straggler[] straggler;
    private final Fault.PowerThrottle[] throttle;
    private final Fault.Overheat[] overheat;
    private final boolean[] stuck;
    private final Fault.SensorGlitch[] glitch;
    private final double[] heatExcess;
    private final double[] frozenC;
    // Per rack and per link.
    private final double[] inletOffsetC;
    private final Fault.LinkDegraded[] degraded;
    private final byte[] linkState;
    private final double[] linkHugeFactor;
    private boolean anyLinkFault;

    private final BitSet touchedChips = new BitSet();
    private final BitSet touchedRacks = new BitSet();
    private final BitSet touchedLinks = new BitSet();

    FaultEffects(int chips, int racks, int links, int chipsPerNode) {
        this.chipsPerNode = chipsPerNode;
        faulted = new boolean[chips];
        silent = new int[chips];
        straggler = new Fault.Straggler[chips];
        throttle = new Fault.PowerThrottle[chips];
        overheat = new Fault.Overheat[chips];
        stuck = new boolean[chips];
        glitch = new Fault.SensorGlitch[chips];
        heatExcess = new double[chips];
        frozenC = new double[chips];
        inletOffsetC = new double[racks];
        degraded = new Fault.LinkDegraded[links];
        linkState = new byte[links];
        linkHugeFactor = new double[links];
        Arrays.fill(frozenC, Double.NaN);
    }

    /** Forgets every registered effect (not the overheat excess nor frozen readings), before registering again. */
    void reset() {
        for (int c = touchedChips.nextSetBit(0); c >= 0; c = touchedChips.nextSetBit(c + 1)) {
            faulted[c] = false;
            silent[c] = 0;
            straggler[c] = null;
            throttle[c] = null;
            overheat[c] = null;
            stuck[c] = false;
            glitch[c] = null;
        }
        for (int r = touchedRacks.nextSetBit(0); r >= 0; r = touchedRacks.nextSetBit(r + 1)) {
            inletOffsetC[r] = 0;
        }
        for (int l = touchedLinks.nextSetBit(0); l >= 0; l = touchedLinks.nextSetBit(l + 1)) {
            degraded[l] = null;
            linkState[l] = LINK_OK;
        }
        touchedChips.clear();
        touchedRacks.clear();
        touchedLinks.clear();
        anyLinkFault = false;
    }

    // ---- Registration, by the faults ----

    void overheat(int chip, Fault.Overheat fault) {
        overheat[touch(chip)] = fault;
    }

    void throttle(int chip, Fault.PowerThrottle fault) {
        throttle[touch(chip)] = fault;
    }

    void straggler(int chip, Fault.Straggler fault) {
        straggler[touch(chip)] = fault;
    }

    void glitch(int chip, Fault.SensorGlitch fault) {
        glitch[touch(chip)] = fault;
    }

    void stick(int chip) {
        stuck[touch(chip)] = true;
    }

    /** Drops the chip's frozen reading, so that the next stuck reading freezes anew. */
    void unfreeze(int chip) {
        frozenC[chip] = Double.NaN;
    }

    void silence(int chip) {
        silent[touch(chip)]++;
    }

    void silenceNode(int node) {
        for (int c = node * chipsPerNode; c < (node + 1) * chipsPerNode; c++) {
            silence(c);
        }
    }

    void inletOffset(int rack, double offsetC) {
        inletOffsetC[rack] = offsetC;
        touchedRacks.set(rack);
    }

    void degrade(int link, Fault.LinkDegraded fault) {
        degraded[link] = fault;
        linkFault(link);
    }

    /** Marks a link as under a fault (its latency, or its state that {@link Fault#tick} sets each tick). */
    void linkFault(int link) {
        touchedLinks.set(link);
        anyLinkFault = true;
    }

    void linkOk(int link) {
        linkState[link] = LINK_OK;
    }

    void dropLink(int link) {
        linkState[link] = LINK_MISSING;
    }

    void linkHuge(int link, double factor) {
        linkState[link] = LINK_HUGE;
        linkHugeFactor[link] = factor;
    }

    private int touch(int chip) {
        faulted[chip] = true;
        touchedChips.set(chip);
        return chip;
    }

    // ---- Queries, by the physics ----

    /** Whether any fault acts on the chip (or an overheat's excess still decays); false: a fault-free sample. */
    boolean affects(int chip) {
        return faulted[chip] || heatExcess[chip] != 0;
    }

    /**
     * Utilisation under the chip's faults: a straggler's drop (on the share of the window its job computed:
     * {@code computeShare}, 1 for a whole window of compute, 0 while communicating, idle or paused), then a power
     * cap. {@code fullW}: the chip's power at 100 % in its current phase (its maximum when compute-bound).
     */
    double utilisation(int chip, double util, double computeShare, double powerNoiseW, double idleW, double maxW,
                       double fullW) {
        Fault.Straggler s = straggler[chip];
        if (s != null && computeShare > 0) {
            util = computeShare * s.utilisation(util) + (1 - computeShare) * util;
        }
        Fault.PowerThrottle t = throttle[chip];
        return t == null ? util : t.utilisation(util, powerNoiseW, idleW, maxW, fullW);
    }

    /**
     * The temperature reading under the chip's faults, from the sensor's {@code reading} and the model's die
     * temperature {@code tempC}: plus the overheat excess (which this call moves on by {@code dtMillis}), then
     * frozen (stuck sensor) or replaced (glitch).
     */
    double temperature(int chip, double reading, double tempC, double alpha, long dtMillis) {
        Fault.Overheat o = overheat[chip];
        if (o != null) {
            heatExcess[chip] = o.excess(heatExcess[chip], tempC, dtMillis);
        } else if (heatExcess[chip] != 0) {
            heatExcess[chip] = Fault.Overheat.cooled(heatExcess[chip], alpha);
        }
        reading += heatExcess[chip];
        if (stuck[chip]) {
            frozenC[chip] = Fault.StuckSensor.reading(frozenC[chip], reading);
            return frozenC[chip];
        }
        Fault.SensorGlitch g = glitch[chip];
        return g == null ? reading : g.readingC();
    }

    /** Whether the chip is down (chip_down, node_down): no sample. */
    boolean silent(int chip) {
        return silent[chip] > 0;
    }

    /** How much hotter the rack's inlet air is, °C (0 without a fault). */
    double inletOffsetC(int rack) {
        return inletOffsetC[rack];
    }

    /** Whether any link fault is active; when not, {@link #linkMissing} and {@link #latency} need no asking. */
    boolean anyLinkFault() {
        return anyLinkFault;
    }

    /** Whether the link is missing from this tick's samples (a flap's burst). */
    boolean linkMissing(int link) {
        return linkState[link] == LINK_MISSING;
    }

    /** The link's latency under its faults: degraded, then a flap's burst. */
    double latency(int link, double latencyUs) {
        Fault.LinkDegraded d = degraded[link];
        if (d != null) {
            latencyUs = d.latency(latencyUs);
        }
        return linkState[link] == LINK_HUGE ? latencyUs * linkHugeFactor[link] : latencyUs;
    }
}
