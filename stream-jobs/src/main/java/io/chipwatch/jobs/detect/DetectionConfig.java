package io.chipwatch.jobs.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The thresholds and parameters of every detector, one record per section of {@code detection.yaml}. The
 * defaults live in {@code stream-jobs/src/main/resources/detection.yaml} (each key documented there); a file given
 * with {@code --detection-config} overrides any subset of them.
 *
 * <p>Validation happens once, at start: an unknown key, a value of the wrong type or out of range is an
 * {@link IllegalArgumentException} whose message names the key, e.g. {@code overheat.slopeCPerS}. Immutable and
 * serializable (the detectors carry their section to the task managers).
 */
public record DetectionConfig(Silence silence, Thermal thermal, Overheat overheat, RackCooling rackCooling,
                              StuckSensor stuckSensor, Peers peers, Straggler straggler,
                              PowerThrottle powerThrottle, Link link) implements Serializable {

    /** Classpath resource holding the defaults. */
    public static final String DEFAULTS_RESOURCE = "/detection.yaml";

    /**
     * chip_down / node_down: a chip is silent once it has missed {@code missedSamples} of its own samples in a row
     * (its sampling interval learned from its samples), and for at least {@code minSilenceMs}; one whose node peers
     * still measure every intra-node link, its own included, is alive with late samples (or its telemetry alone
     * stopped) and is called down only {@code linkWitnessMs} later.
     */
    public record Silence(int missedSamples, long minSilenceMs, long forgetAfterMs, double massFraction,
                          int massMinChips, long linkWitnessMs) implements Serializable {

        /** How long a chip sampled every {@code intervalMs} must be quiet to be silent. */
        public long limitMs(long intervalMs) {
            return Math.max(missedSamples * intervalMs, minSilenceMs);
        }
    }

    /** The per-chip thermal model. */
    public record Thermal(double powerLagSeconds, double thermalResistanceCPerW, double baselineSeconds,
                          double baselineGateC, double glitchJumpC, double maxRiseCPerS, double warmupSeconds)
            implements Serializable {
    }

    /** overheat. */
    public record Overheat(int slopeSamples, double slopeCPerS, double minExcessC, double sustainedExcessC,
                           double criticalC, int confirmSamples, int minPeers, double clearExcessC, double clearC,
                           int clearSamples, double levelSeconds, double healthyResistanceSpread)
            implements Serializable {
    }

    /** rack_cooling. */
    public record RackCooling(int minChips, double openExcessC, int openSamples, double closeExcessC,
                              int closeSamples, double affectedExcessC) implements Serializable {
    }

    /** stuck_sensor ({@link StuckSensorDetector} says what each threshold is for). */
    public record StuckSensor(int minRepeats, int modelMinRepeats, double minPowerRangeW, double minExpectedRangeC,
                              double maxExcessC, double windowSeconds, double minWindowFraction,
                              double minSteadyExpectedRangeC, double minSteadyRippleC, int minPeers,
                              double minPeerChangeFraction)
            implements Serializable {
    }

    /** What straggler and power_throttle share: the peer comparison. */
    public record Peers(int minPeers, double minPeerUtilPct, double computeLevelFraction, double levelSeconds,
                        int windowSamples, int minSamples, double utilSigmaFloorPct, int sigmaSamples,
                        int closeSamples, double closeDeficitFraction) implements Serializable {
    }

    /** straggler ({@link PeerVerdict} says what each threshold is for). */
    public record Straggler(double minDeficitFraction, double minSignificance, double minUtilRatio,
                            double maxUtilRatio, double confirmBelowRatio, double maxRatioSpread)
            implements Serializable {
    }

    /** power_throttle. */
    public record PowerThrottle(double tdpW, double maxPowerFraction, double busyPeerUtilPct, double maxUtilRatio,
                                double ceilingToleranceW, int ceilingRepeats) implements Serializable {
    }

    /** link_degraded and link_flap. */
    public record Link(double intraNominalUs, double fabricNominalUs, double baselineAlpha, double learnBelowRatio,
                       double highRatio, double flapRatio, double extremeRatio, int degradedSamples,
                       int maxBurstSamples, int missingSamples, long flapWindowMs,
                       int clearSamples, long flapQuietMs, long forgetAfterMs) implements Serializable {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The defaults. */
    public static DetectionConfig defaults() {
        return fromTree(readDefaults());
    }

    /**
     * The defaults overridden by {@code file}, or the defaults alone when {@code file} is null.
     *
     * @throws IllegalArgumentException when the file cannot be read or parsed, or a key is unknown or invalid
     */
    public static DetectionConfig load(Path file) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            JsonNode override;
            try {
                override = YAML.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the detection config " + file + ": " + e.getMessage(), e);
            }
            merge(tree, override, "", file.toString());
        }
        return fromTree(tree);
    }

    /** The defaults overridden by YAML text (tests, tools). */
    public static DetectionConfig fromYaml(String yaml) {
        ObjectNode tree = readDefaults();
        try {
            merge(tree, YAML.readTree(yaml), "", "the given YAML");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse the detection config: " + e.getMessage(), e);
        }
        return fromTree(tree);
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = DetectionConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    /** Copies the keys of {@code override} over {@code base}; a key the defaults do not have is an error. */
    private static void merge(ObjectNode base, JsonNode override, String path, String source) {
        if (override == null || override.isNull() || override.isMissingNode()) {
            return;
        }
        if (!override.isObject()) {
            throw new IllegalArgumentException("detection config " + (path.isEmpty() ? "" : path + " ")
                    + "in " + source + " must be a mapping of keys, got: " + override);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode current = base.get(e.getKey());
            if (current == null) {
                throw new IllegalArgumentException("unknown detection config key '" + key + "' in " + source
                        + "; the keys are those of " + DEFAULTS_RESOURCE + " (stream-jobs/src/main/resources)");
            }
            if (current.isObject()) {
                merge((ObjectNode) current, e.getValue(), key, source);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static DetectionConfig fromTree(JsonNode t) {
        Reader r = new Reader(t);
        Silence silence = new Silence(
                r.intIn("silence.missedSamples", 1, 1000),
                r.longIn("silence.minSilenceMs", 0, Long.MAX_VALUE),
                r.longIn("silence.forgetAfterMs", 1, Long.MAX_VALUE),
                r.fraction("silence.massFraction"),
                r.intIn("silence.massMinChips", 1, Integer.MAX_VALUE),
                r.longIn("silence.linkWitnessMs", 0, 3_600_000));
        Thermal thermal = new Thermal(
                r.positive("thermal.powerLagSeconds"),
                r.positive("thermal.thermalResistanceCPerW"),
                r.positive("thermal.baselineSeconds"),
                r.positive("thermal.baselineGateC"),
                r.positive("thermal.glitchJumpC"),
                r.positive("thermal.maxRiseCPerS"),
                r.nonNegative("thermal.warmupSeconds"));
        Overheat overheat = new Overheat(
                r.intIn("overheat.slopeSamples", 2, 1000),
                r.positive("overheat.slopeCPerS"),
                r.nonNegative("overheat.minExcessC"),
                r.positive("overheat.sustainedExcessC"),
                r.positive("overheat.criticalC"),
                r.intIn("overheat.confirmSamples", 1, 1000),
                r.intIn("overheat.minPeers", 1, 100_000),
                r.nonNegative("overheat.clearExcessC"),
                r.positive("overheat.clearC"),
                r.intIn("overheat.clearSamples", 1, 100_000),
                r.positive("overheat.levelSeconds"),
                r.nonNegative("overheat.healthyResistanceSpread"));
        if (overheat.healthyResistanceSpread() >= 1) {
            throw Reader.invalid("overheat.healthyResistanceSpread", overheat.healthyResistanceSpread(),
                    "below 1 (a fraction of the model's resistance; 0 turns the discount off)");
        }
        if (overheat.clearC() > overheat.criticalC()) {
            throw Reader.invalid("overheat.clearC", overheat.clearC(), "at most overheat.criticalC ("
                    + overheat.criticalC() + "): the hysteresis closes below where it opens");
        }
        RackCooling rackCooling = new RackCooling(
                r.intIn("rackCooling.minChips", 1, 100_000),
                r.positive("rackCooling.openExcessC"),
                r.intIn("rackCooling.openSamples", 1, 1000),
                r.nonNegative("rackCooling.closeExcessC"),
                r.intIn("rackCooling.closeSamples", 1, 100_000),
                r.nonNegative("rackCooling.affectedExcessC"));
        if (rackCooling.closeExcessC() > rackCooling.openExcessC()) {
            throw Reader.invalid("rackCooling.closeExcessC", rackCooling.closeExcessC(),
                    "at most rackCooling.openExcessC (" + rackCooling.openExcessC() + ")");
        }
        StuckSensor stuck = new StuckSensor(
                r.intIn("stuckSensor.minRepeats", 2, 100_000),
                r.intIn("stuckSensor.modelMinRepeats", 2, 100_000),
                r.nonNegative("stuckSensor.minPowerRangeW"),
                r.nonNegative("stuckSensor.minExpectedRangeC"),
                r.nonNegative("stuckSensor.maxExcessC"),
                r.positive("stuckSensor.windowSeconds"),
                r.fraction("stuckSensor.minWindowFraction"),
                r.nonNegative("stuckSensor.minSteadyExpectedRangeC"),
                r.nonNegative("stuckSensor.minSteadyRippleC"),
                r.intIn("stuckSensor.minPeers", 1, 100_000),
                r.fraction("stuckSensor.minPeerChangeFraction"));
        Peers peers = new Peers(
                r.intIn("peers.minPeers", 1, 100_000),
                r.nonNegative("peers.minPeerUtilPct"),
                r.fraction("peers.computeLevelFraction"),
                r.positive("peers.levelSeconds"),
                r.intIn("peers.windowSamples", 1, 1000),
                r.intIn("peers.minSamples", 1, 1000),
                r.positive("peers.utilSigmaFloorPct"),
                r.intIn("peers.sigmaSamples", 1, 100_000),
                r.intIn("peers.closeSamples", 1, 1000),
                r.fraction("peers.closeDeficitFraction"));
        if (peers.minSamples() > peers.windowSamples()) {
            throw Reader.invalid("peers.minSamples", peers.minSamples(),
                    "at most peers.windowSamples (" + peers.windowSamples() + ")");
        }
        if (peers.closeSamples() > peers.windowSamples()) {
            throw Reader.invalid("peers.closeSamples", peers.closeSamples(),
                    "at most peers.windowSamples (" + peers.windowSamples() + ")");
        }
        Straggler straggler = new Straggler(
                r.fraction("straggler.minDeficitFraction"),
                r.positive("straggler.minSignificance"),
                r.fraction("straggler.minUtilRatio"),
                r.fraction("straggler.maxUtilRatio"),
                r.fraction("straggler.confirmBelowRatio"),
                r.fraction("straggler.maxRatioSpread"));
        if (straggler.confirmBelowRatio() < straggler.minUtilRatio()) {
            throw Reader.invalid("straggler.confirmBelowRatio", straggler.confirmBelowRatio(),
                    "at least straggler.minUtilRatio (" + straggler.minUtilRatio() + ")");
        }
        if (straggler.maxUtilRatio() < straggler.confirmBelowRatio()) {
            throw Reader.invalid("straggler.maxUtilRatio", straggler.maxUtilRatio(),
                    "at least straggler.confirmBelowRatio (" + straggler.confirmBelowRatio() + ")");
        }
        PowerThrottle throttle = new PowerThrottle(
                r.positive("powerThrottle.tdpW"),
                r.fraction("powerThrottle.maxPowerFraction"),
                r.nonNegative("powerThrottle.busyPeerUtilPct"),
                r.fraction("powerThrottle.maxUtilRatio"),
                r.nonNegative("powerThrottle.ceilingToleranceW"),
                r.intIn("powerThrottle.ceilingRepeats", 2, 1000));
        if (throttle.maxUtilRatio() > straggler.minUtilRatio()) {
            throw Reader.invalid("powerThrottle.maxUtilRatio", throttle.maxUtilRatio(),
                    "at most straggler.minUtilRatio (" + straggler.minUtilRatio() + ")");
        }
        if (throttle.ceilingRepeats() > peers.windowSamples()) {
            throw Reader.invalid("powerThrottle.ceilingRepeats", throttle.ceilingRepeats(),
                    "at most peers.windowSamples (" + peers.windowSamples() + ")");
        }
        Link link = new Link(
                r.positive("link.intraNominalUs"),
                r.positive("link.fabricNominalUs"),
                r.fraction("link.baselineAlpha"),
                r.greaterThan("link.learnBelowRatio", 1.0),
                r.greaterThan("link.highRatio", 1.0),
                r.greaterThan("link.flapRatio", 1.0),
                r.greaterThan("link.extremeRatio", 1.0),
                r.intIn("link.degradedSamples", 1, 1000),
                r.intIn("link.maxBurstSamples", 1, 1000),
                r.intIn("link.missingSamples", 1, 1000),
                r.longIn("link.flapWindowMs", 1, Long.MAX_VALUE),
                r.intIn("link.clearSamples", 1, 100_000),
                r.longIn("link.flapQuietMs", 1, Long.MAX_VALUE),
                r.longIn("link.forgetAfterMs", 1, Long.MAX_VALUE));
        if (!(link.highRatio() < link.flapRatio() && link.flapRatio() <= link.extremeRatio())) {
            throw Reader.invalid("link.flapRatio", link.flapRatio(), "a ratio between link.highRatio ("
                    + link.highRatio() + ") and link.extremeRatio (" + link.extremeRatio() + ")");
        }
        if (link.learnBelowRatio() >= link.highRatio()) {
            throw Reader.invalid("link.learnBelowRatio", link.learnBelowRatio(),
                    "below link.highRatio (" + link.highRatio() + ")");
        }
        if (link.degradedSamples() > link.maxBurstSamples() + 1) {
            throw Reader.invalid("link.degradedSamples", link.degradedSamples(),
                    "at most link.maxBurstSamples + 1 (" + (link.maxBurstSamples() + 1) + ")");
        }
        return new DetectionConfig(silence, thermal, overheat, rackCooling, stuck, peers, straggler, throttle, link);
    }

    /** Reads typed, range-checked values by dotted key; every failure names the key. */
    private static final class Reader {
        private final JsonNode root;

        Reader(JsonNode root) {
            this.root = root;
        }

        private JsonNode node(String key) {
            JsonNode n = root;
            for (String part : key.split("\\.")) {
                n = n == null ? null : n.get(part);
            }
            if (n == null || n.isNull() || n.isMissingNode()) {
                throw new IllegalArgumentException("detection config key '" + key + "' has no value");
            }
            return n;
        }

        double number(String key) {
            JsonNode n = node(key);
            if (!n.isNumber()) {
                throw invalid(key, n.asText(), "a number");
            }
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                throw invalid(key, n.asText(), "a finite number");
            }
            return v;
        }

        double positive(String key) {
            double v = number(key);
            if (v <= 0) {
                throw invalid(key, v, "a number > 0");
            }
            return v;
        }

        double nonNegative(String key) {
            double v = number(key);
            if (v < 0) {
                throw invalid(key, v, "a number >= 0");
            }
            return v;
        }

        double fraction(String key) {
            double v = number(key);
            if (v <= 0 || v > 1) {
                throw invalid(key, v, "a fraction in (0, 1]");
            }
            return v;
        }

        double greaterThan(String key, double min) {
            double v = number(key);
            if (v <= min) {
                throw invalid(key, v, "a number > " + min);
            }
            return v;
        }

        long longIn(String key, long min, long max) {
            JsonNode n = node(key);
            if (!n.isIntegralNumber()) {
                throw invalid(key, n.asText(), "a whole number in [" + min + ", " + max + "]");
            }
            long v = n.longValue();
            if (v < min || v > max) {
                throw invalid(key, v, "a whole number in [" + min + ", " + max + "]");
            }
            return v;
        }

        int intIn(String key, int min, int max) {
            return (int) longIn(key, min, max);
        }

        static IllegalArgumentException invalid(String key, Object value, String expected) {
            return new IllegalArgumentException("detection config key '" + key + "' has invalid value '" + value
                    + "'; expected " + expected);
        }
    }
}
