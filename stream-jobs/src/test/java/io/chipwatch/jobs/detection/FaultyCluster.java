package io.chipwatch.jobs.detection;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A small deterministic cluster for the detection job's end-to-end tests, with the physics of CONTRACTS.md §1 (the same
 * shapes as the collector's simulator: power linear in utilisation, a first-order thermal lag towards inlet + R x
 * power, training steps with communication phases, link latency with jitter and microbursts) and every fault of
 * the catalogue (CONTRACTS.md §2) injectable at a chosen second. Independent of the collector so that these tests pin the
 * detectors' behaviour on data whose ground truth they fully control.
 */
final class FaultyCluster {
    /** One injected fault. */
    record Fault(String type, String target, int onsetSecond, int endSecond) {
        boolean active(int s) {
            return s >= onsetSecond && s < endSecond;
        }
    }

    static final long START_MILLIS = 1_767_225_600_000L;

    final Topology topology;
    final List<Fault> faults = new ArrayList<>();
    private final Random random;
    private final int chips;
    private final double[] resistance;
    private final double[] tau;
    private final double[] idleW;
    private final double[] maxW;
    private final double[] bias;
    private final double[] temp;
    private final double[] heat;
    private final double[] stuckAt;
    private final Map<String, Double> nominalUs = new HashMap<>();
    private final String[] nodeJob;
    private final long[] nodeStepMillis;
    private final int[] nodeJobEndSecond;
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final Map<String, Double> inlet = new HashMap<>();

    /**
     * @param racks racks of 10 nodes of 8 chips; the first 70 % of each rack's nodes run training jobs (one per
     *              node pair), the rest idle
     */
    FaultyCluster(int racks, long seed) {
        this.random = new Random(seed);
        this.topology = Topology.build(new ClusterShape(8, 10, 25), racks * 80);
        this.chips = topology.chipCount();
        resistance = new double[chips];
        tau = new double[chips];
        idleW = new double[chips];
        maxW = new double[chips];
        bias = new double[chips];
        temp = new double[chips];
        heat = new double[chips];
        stuckAt = new double[chips];
        for (int c = 0; c < chips; c++) {
            resistance[c] = 0.120 + 0.015 * random.nextDouble();
            tau[c] = 25 + 10 * random.nextDouble();
            idleW[c] = 86 + 10 * random.nextDouble();
            maxW[c] = 390 + 12 * random.nextDouble();
            bias[c] = 2 * random.nextDouble() - 1;
            temp[c] = Double.NaN;
            stuckAt[c] = Double.NaN;
        }
        for (Link l : topology.links()) {
            nominalUs.put(l.id(), l.kind() == LinkKind.FABRIC ? 3.6 + 0.4 * random.nextDouble()
                    : 1.7 + 0.4 * random.nextDouble());
        }
        List<String> nodes = new ArrayList<>(topology.chipsByNode().keySet());
        nodeJob = new String[nodes.size()];
        nodeStepMillis = new long[nodes.size()];
        nodeJobEndSecond = new int[nodes.size()];
        Arrays.fill(nodeJobEndSecond, Integer.MAX_VALUE);
        for (int n = 0; n < nodes.size(); n++) {
            nodeIndex.put(nodes.get(n), n);
            if (n % 10 < 7) {
                nodeJob[n] = String.format("train-%05d", n / 2 + 1);
                nodeStepMillis[n] = 6000 + 1000L * ((n / 2) % 5);
            }
        }
        for (String rack : topology.chipsByRack().keySet()) {
            inlet.put(rack, 24.5 + 4 * random.nextDouble());
        }
    }

    /** Ends the job of the node of {@code chip} at {@code second} (a normal event: its chips go idle). */
    FaultyCluster endJobOf(Chip chip, int second) {
        nodeJobEndSecond[nodeIndex.get(chip.node())] = second;
        return this;
    }

    FaultyCluster fault(String type, String target, int onsetSecond, int endSecond) {
        faults.add(new Fault(type, target, onsetSecond, endSecond));
        return this;
    }

    /** The first chip of a node with a training job, of rack {@code rack} (0-based), node {@code n} of it. */
    Chip chip(int rack, int n, int c) {
        return topology.chips().get(rack * 80 + n * 8 + c);
    }

    private boolean active(String type, String target, int s) {
        for (Fault f : faults) {
            if (f.type.equals(type) && f.target.equals(target) && f.active(s)) {
                return true;
            }
        }
        return false;
    }

    private Fault fault(String type, String target, int s) {
        for (Fault f : faults) {
            if (f.type.equals(type) && f.target.equals(target) && f.active(s)) {
                return f;
            }
        }
        return null;
    }

    /** Runs {@code seconds} ticks, handing every sample to {@code sink}. */
    void run(int seconds, Consumer<ChipSample> sink) {
        for (int s = 0; s < seconds; s++) {
            long ts = START_MILLIS + s * 1000L;
            for (Chip chip : topology.chips()) {
                ChipSample sample = sample(chip, s, ts);
                if (sample != null) {
                    sink.accept(sample);
                }
            }
        }
    }

    private ChipSample sample(Chip chip, int s, long ts) {
        int c = chip.index();
        int n = nodeIndex.get(chip.node());
        String job = s >= nodeJobEndSecond[n] ? null : nodeJob[n];
        boolean communicating = job != null && (s * 1000L) % nodeStepMillis[n] >= nodeStepMillis[n] - 2000;
        double mean = job == null ? 1.5 : communicating ? 40 : 92;
        double sigma = job == null ? 0.35 : communicating ? 3.0 : 1.2;
        double util = Math.max(0, Math.min(100, mean + bias[c] * mean / 100 + sigma * random.nextGaussian()));
        double powerNoise = 1.5 * random.nextGaussian();
        Fault straggler = fault("straggler", chip.id(), s);
        if (straggler != null && job != null && !communicating) {
            util *= 0.7;
        }
        if (active("power_throttle", chip.id(), s)) {
            double capW = 0.6 * maxW[c];
            double capUtil = 100 * (capW - idleW[c]) / (maxW[c] - idleW[c]);
            if (util > capUtil) {
                util = capUtil - Math.abs(powerNoise) / (maxW[c] - idleW[c]) * 100;
            }
        }
        double power = idleW[c] + (maxW[c] - idleW[c]) * util / 100 + powerNoise;
        double rackInlet = inlet.get(chip.rack()) + (active("rack_cooling", chip.rack(), s) ? 15 : 0);
        double steady = rackInlet + resistance[c] * power;
        temp[c] = Double.isNaN(temp[c]) ? steady : temp[c] + -Math.expm1(-1.0 / tau[c]) * (steady - temp[c]);
        if (active("overheat", chip.id(), s)) {
            heat[c] = Math.min(heat[c] + 1.0, 40);
        } else {
            heat[c] *= 1 - (-Math.expm1(-1.0 / tau[c]));
        }
        double reading = temp[c] + heat[c] + 0.1 * random.nextGaussian();
        if (active("stuck_sensor", chip.id(), s)) {
            if (Double.isNaN(stuckAt[c])) {
                stuckAt[c] = round3(reading);
            }
            reading = stuckAt[c];
        } else {
            stuckAt[c] = Double.NaN;
        }
        if (active("sensor_glitch", chip.id(), s)) {
            reading = 163.4;
        }
        if (active("chip_down", chip.id(), s) || active("node_down", chip.node(), s)) {
            return null;
        }
        List<LinkLatency> links = new ArrayList<>(chip.links().size());
        for (Link l : chip.links()) {
            double factor = job == null ? 1.0 : communicating ? (l.kind() == LinkKind.FABRIC ? 2.2 : 1.6) : 1.03;
            double latency = nominalUs.get(l.id()) * factor * (1 + 0.02 * -Math.log(1 - random.nextDouble()));
            if (random.nextDouble() < 0.001) {
                latency *= 1.5 + 1.5 * random.nextDouble();
            }
            if (active("link_degraded", l.id(), s)) {
                latency *= 12;
            }
            Fault flap = fault("link_flap", l.id(), s);
            if (flap != null && (s - flap.onsetSecond) % 12 < 3) {
                continue;
            }
            // A down chip's links are dark: its node peers measure nothing on them (as the collector's simulator).
            if (l.kind() == LinkKind.INTRA && active("chip_down", l.peerOf(chip.id()), s)) {
                continue;
            }
            links.add(new LinkLatency(l.id(), l.peerOf(chip.id()), l.kind(), round3(latency)));
        }
        return new ChipSample(ts, chip.id(), chip.node(), chip.rack(), chip.pod(), job, round3(util),
                round3(reading), round3(power), links);
    }

    private static double round3(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
