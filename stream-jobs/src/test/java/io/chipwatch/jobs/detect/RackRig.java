package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A rack of simulated chips with realistic spread (thermal resistance 0.120-0.135 °C/W, time constant 25-35 s,
 * sensor noise 0.1 °C) run through the real {@link ThermalFeatures} into a detector under test, one tick a second,
 * with the watermark one second behind. Tests drive utilisation, fault heat and inlet per chip.
 */
final class RackRig implements AutoCloseable {
    final List<ChipSim> chips = new ArrayList<>();
    private final Random random = new Random(42);
    private final KeyedOneInputStreamOperatorTestHarness<String, ChipSample, ChipReading> thermal;
    private final KeyedOneInputStreamOperatorTestHarness<String, ChipReading, Anomaly> detector;
    private int second;

    RackRig(int nodes, KeyedProcessFunction<String, ChipReading, Anomaly> detector,
            KeySelector<ChipReading, String> key) throws Exception {
        for (int n = 0; n < nodes; n++) {
            for (int c = 0; c < 8; c++) {
                ChipSim chip = ChipSim.of(3, n, c, null);
                chip.resistance = 0.120 + 0.015 * random.nextDouble();
                chip.tauS = 25 + 10 * random.nextDouble();
                chip.idleW = 86 + 10 * random.nextDouble();
                chip.util = 1.5;
                chips.add(chip);
            }
        }
        thermal = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ThermalFeatures(DetectionConfig.defaults().thermal()), ChipSample::chip, Types.STRING);
        this.detector = ProcessFunctionTestHarnesses.forKeyedProcessFunction(detector, key, Types.STRING);
    }

    /**
     * A rack of 10 nodes, keyed by rack, whose first {@code busyNodes} nodes run job {@code train-<n>} at 92 %;
     * the rest idle.
     */
    static RackRig training(KeyedProcessFunction<String, ChipReading, Anomaly> detector, int busyNodes)
            throws Exception {
        RackRig rig = new RackRig(10, detector, ChipReading::rack);
        for (int n = 0; n < busyNodes; n++) {
            rig.setNode(n, "train-" + n, 92);
        }
        return rig;
    }

    /** Chips of node {@code n}. */
    List<ChipSim> node(int n) {
        return chips.subList(n * 8, n * 8 + 8);
    }

    /** Puts every chip of node {@code n} on job {@code job} at {@code util} percent (null job: idle). */
    void setNode(int n, String job, double util) {
        for (ChipSim c : node(n)) {
            c.job = job;
            c.util = util;
        }
    }

    /** Runs {@code seconds} ticks; returns the anomalies the detector emitted meanwhile. */
    List<Anomaly> run(int seconds) throws Exception {
        int before = detector.extractOutputValues().size();
        for (int i = 0; i < seconds; i++) {
            tick((c, s) -> !Double.isNaN(c.frozenC) ? s : c.sample(s.timestampMillis(),
                    Math.round((s.tempC() + 0.1 * random.nextGaussian()) * 1000) / 1000.0));
        }
        return since(before);
    }

    /** Sends one absurd reading for chip {@code c} at the next tick instead of its real one. */
    List<Anomaly> glitch(ChipSim glitched, double reading) throws Exception {
        int before = detector.extractOutputValues().size();
        tick((c, s) -> c == glitched ? c.sample(s.timestampMillis(), reading) : s);
        return since(before);
    }

    /**
     * One second: every chip steps, {@code sensor} turns its true sample into the one sent; the readings of
     * {@link ThermalFeatures} go to the detector, then the watermark one second behind.
     */
    private void tick(BiFunction<ChipSim, ChipSample, ChipSample> sensor) throws Exception {
        long ts = second * 1000L;
        int from = thermal.extractOutputValues().size();
        for (ChipSim c : chips) {
            thermal.processElement(sensor.apply(c, c.step(ts, 1000)), ts);
        }
        List<ChipReading> readings = thermal.extractOutputValues();
        for (ChipReading r : readings.subList(from, readings.size())) {
            detector.processElement(r, ts);
        }
        detector.processWatermark(ts - 1000);
        second++;
    }

    private List<Anomaly> since(int before) {
        List<Anomaly> all = detector.extractOutputValues();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** The current second (timestamp of the next tick / 1000). */
    int second() {
        return second;
    }

    @Override
    public void close() throws Exception {
        thermal.close();
        detector.close();
    }
}
