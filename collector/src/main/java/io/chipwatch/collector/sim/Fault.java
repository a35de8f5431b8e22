package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultType;

import java.util.Locale;

import static io.chipwatch.collector.sim.ChipPhysics.round3;

/**
 * One fault of the catalogue (CONTRACTS.md §2, {@code scenarios/README.md}) with its parameters, drawn from the seed when
 * it starts, and its effect on the readings. A fault registers itself on the entity it targets in the
 * {@link FaultEffects} while it is active ({@link #applyTo}); the physics then asks those effects, and they hand
 * the reading to the fault's own method ({@code Overheat.excess}, {@code PowerThrottle.utilisation}, …).
 *
 * <p>Effects of the same kind on the same entity do not add up: the fault started last wins (two chip or node
 * outages on one chip keep it silent until both ended).
 */
sealed interface Fault {

    /** Draws the parameters of a fault of this type; the draws and their order are part of the generated data. */
    static Fault draw(FaultType type, Noise noise) {
        return switch (type) {
            case OVERHEAT -> new Overheat(noise.uniform(0.5, 2.0), noise.uniform(100, 110));
            case RACK_COOLING -> new RackCooling(noise.uniform(11, 19));
            case POWER_THROTTLE -> new PowerThrottle(noise.uniform(0.57, 0.63));
            case LINK_DEGRADED -> new LinkDegraded(noise.uniform(5, 50));
            case LINK_FLAP -> new LinkFlap(Math.round(noise.uniform(8_000, 20_000)), Math.round(noise.uniform(2_000, 5_000)));
            case STRAGGLER -> new Straggler(noise.uniform(0.20, 0.40));
            case CHIP_DOWN -> new ChipDown();
            case NODE_DOWN -> new NodeDown();
            case STUCK_SENSOR -> new StuckSensor();
            case SENSOR_GLITCH -> new SensorGlitch(150 + Math.round(noise.uniform(0, 30) * 10) / 10.0);
        };
    }

    /** Its parameters for people ({@code GET /faults}'s {@code detail}). */
    String detail();

    /** Registers its effect on entity {@code index} of its scope; called whenever the set of active faults changes. */
    void applyTo(int index, FaultEffects effects);

    /** Resets whatever state the fault keeps on its entity; called once, at its onset. */
    default void onset(int index, FaultEffects effects) {
    }

    /**
     * Moves its effect to the tick {@code elapsedMillis} after its onset; {@code burstNoise} positions a noise
     * stream of this fault on a key. Called on every tick while any link fault is active.
     */
    default void tick(int index, long elapsedMillis, BurstNoise burstNoise, FaultEffects effects) {
    }

    /** Whether the fault lasts exactly one sample whatever its requested duration. */
    default boolean oneSample() {
        return false;
    }

    /** A noise stream of one fault, positioned on a key (e.g. a burst number). */
    @FunctionalInterface
    interface BurstNoise {
        Noise at(long key);
    }

    /**
     * Overheat (a cooling fault on one chip): the die heats {@code ratePerS} °C/s beyond the model up to
     * {@code ceilingC}; after the end the excess decays with the chip's thermal time constant.
     */
    record Overheat(double ratePerS, double ceilingC) implements Fault {
        /** The excess over the model after {@code dtMillis}, from {@code excess}, with the die at {@code tempC}. */
        double excess(double excess, double tempC, long dtMillis) {
            double room = ceilingC - tempC;
            return Math.min(excess + ratePerS * dtMillis / 1000.0, Math.max(room, 0));
        }

        /** Cooling restored: the excess one lag step later (0 once under 0.01 °C). */
        static double cooled(double excess, double alpha) {
            double left = excess * (1.0 - alpha);
            return left < 0.01 ? 0 : left;
        }

        @Override
        public String detail() {
            return String.format(Locale.ROOT, "+%.2f C/s up to %.1f C", ratePerS, ceilingC);
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.overheat(chip, this);
        }
    }

    /** Rack cooling: the rack's inlet air {@code inletOffsetC} hotter; every chip follows with its thermal lag. */
    record RackCooling(double inletOffsetC) implements Fault {
        @Override
        public String detail() {
            return String.format(Locale.ROOT, "inlet +%.1f C", inletOffsetC);
        }

        @Override
        public void applyTo(int rack, FaultEffects effects) {
            effects.inletOffset(rack, inletOffsetC);
        }
    }

    /** Power throttle: board power capped at {@code capFraction} of the chip's maximum. */
    record PowerThrottle(double capFraction) implements Fault {
        /**
         * Utilisation under the cap: what the capped power allows (lower clocks), less the power noise's share;
         * {@code fullW} is the chip's power at 100 % in its current phase ({@code maxW} when compute-bound).
         */
        double utilisation(double util, double powerNoiseW, double idleW, double maxW, double fullW) {
            double capW = capFraction * maxW;
            double capUtil = 100.0 * (capW - idleW) / (fullW - idleW);
            return util > capUtil ? capUtil - Math.abs(powerNoiseW) / (fullW - idleW) * 100.0 : util;
        }

        @Override
        public String detail() {
            return String.format(Locale.ROOT, "power cap %.0f%% of max", 100 * capFraction);
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.throttle(chip, this);
        }
    }

    /** Link degraded: the link's latency times {@code latencyFactor}, alike at both ends. */
    record LinkDegraded(double latencyFactor) implements Fault {
        double latency(double latencyUs) {
            return latencyUs * latencyFactor;
        }

        @Override
        public String detail() {
            return String.format(Locale.ROOT, "latency x%.1f", latencyFactor);
        }

        @Override
        public void applyTo(int link, FaultEffects effects) {
            effects.degrade(link, this);
        }
    }

    /**
     * Link flap: a burst of {@code burstMillis} at the start of every {@code cycleMillis} from the onset; each
     * burst either drops the link from both ends' samples or multiplies its latency by 50-500.
     */
    record LinkFlap(long cycleMillis, long burstMillis) implements Fault {
        @Override
        public void tick(int link, long elapsedMillis, BurstNoise burstNoise, FaultEffects effects) {
            if (elapsedMillis % cycleMillis >= burstMillis) {
                effects.linkOk(link);
                return;
            }
            Noise noise = burstNoise.at(elapsedMillis / cycleMillis);
            if (noise.uniform() < 0.5) {
                effects.dropLink(link);
            } else {
                effects.linkHuge(link, noise.uniform(50, 500));
            }
        }

        @Override
        public String detail() {
            return String.format(Locale.ROOT, "bursts of %.1f s every %.1f s", burstMillis / 1000.0, cycleMillis / 1000.0);
        }

        @Override
        public void applyTo(int link, FaultEffects effects) {
            effects.linkFault(link);
        }
    }

    /** Straggler: utilisation {@code utilDrop} (a fraction) lower than the job's, except while it communicates. */
    record Straggler(double utilDrop) implements Fault {
        double utilisation(double util) {
            return util * (1.0 - utilDrop);
        }

        @Override
        public String detail() {
            return String.format(Locale.ROOT, "utilisation -%.0f%%", 100 * utilDrop);
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.straggler(chip, this);
        }
    }

    /** Chip down: no samples from the chip; its physics runs on, so it comes back warm. */
    record ChipDown() implements Fault {
        @Override
        public String detail() {
            return "silent";
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.silence(chip);
        }
    }

    /** Node down: no samples from any chip of the node. */
    record NodeDown() implements Fault {
        @Override
        public String detail() {
            return "silent";
        }

        @Override
        public void applyTo(int node, FaultEffects effects) {
            effects.silenceNode(node);
        }
    }

    /** Stuck sensor: the temperature reading frozen at its value at the onset. */
    record StuckSensor() implements Fault {
        /** The reading: {@code frozen}, or the (rounded) current reading when nothing is frozen yet (NaN). */
        static double reading(double frozen, double reading) {
            return Double.isNaN(frozen) ? round3(reading) : frozen;
        }

        @Override
        public String detail() {
            return "temperature frozen";
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.stick(chip);
        }

        @Override
        public void onset(int chip, FaultEffects effects) {
            effects.unfreeze(chip);
        }
    }

    /** Sensor glitch: one sample reads {@code readingC}; always exactly one sample long. */
    record SensorGlitch(double readingC) implements Fault {
        @Override
        public String detail() {
            return String.format(Locale.ROOT, "one sample of %.1f C", readingC);
        }

        @Override
        public void applyTo(int chip, FaultEffects effects) {
            effects.glitch(chip, this);
        }

        @Override
        public boolean oneSample() {
            return true;
        }
    }
}
