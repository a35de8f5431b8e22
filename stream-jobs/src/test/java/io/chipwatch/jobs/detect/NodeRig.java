package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.util.List;
import java.util.Random;

/**
 * One node of 8 chips running a workload shaped like the simulator's (CONTRACTS.md §1): a training job's steps (compute
 * at ~92 % with 1.2 points of noise, communication at ~40 % with 3 points), an inference job's noisy load, or idle;
 * power linear in utilisation with 1.5 W of noise. Tests turn one chip into a straggler or a throttled chip the way
 * the simulator's faults do, and run the readings through a node-keyed detector with the watermark 1 s behind.
 * With {@link #only} set, {@link #run} returns the anomalies of that type alone.
 */
final class NodeRig implements AutoCloseable {
    enum Load { IDLE, TRAINING, INFERENCE }

    final KeyedOneInputStreamOperatorTestHarness<String, ChipReading, Anomaly> harness;
    private final Random random = new Random(7);
    private final double[] bias = new double[8];
    private final double[] idleW = new double[8];
    private final double[] maxW = new double[8];
    Load load = Load.TRAINING;
    String job = "train-00001";
    long stepMillis = 8000;
    long commMillis = 2000;
    double computeUtil = 92;
    double inferenceUtil = 55;
    int straggler = -1;
    double straggle = 0.7;
    int throttled = -1;
    double capFraction = 0.6;
    /** The type {@link #run} reports; null = every type. */
    AnomalyType only;
    private int second;

    NodeRig(KeyedProcessFunction<String, ChipReading, Anomaly> detector) throws Exception {
        this(detector, null, 0);
    }

    /** A rig whose detector starts from {@code restored} state (null = none) at second {@code second}. */
    NodeRig(KeyedProcessFunction<String, ChipReading, Anomaly> detector, OperatorSubtaskState restored, int second)
            throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(detector), ChipReading::node,
                Types.STRING, 1, 1, 0);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        this.second = second;
        for (int c = 0; c < 8; c++) {
            bias[c] = random.nextDouble() * 2 - 1;
            idleW[c] = 86 + 10 * random.nextDouble();
            maxW[c] = 390 + 12 * random.nextDouble();
        }
    }

    boolean communicating() {
        return load == Load.TRAINING && Math.floorMod(second * 1000L, stepMillis) >= stepMillis - commMillis;
    }

    List<Anomaly> run(int seconds) throws Exception {
        int before = harness.extractOutputValues().size();
        for (int i = 0; i < seconds; i++) {
            long ts = second * 1000L;
            double mean;
            double sigma;
            switch (load) {
                case TRAINING -> {
                    mean = communicating() ? 40 : computeUtil;
                    sigma = communicating() ? 3.0 : 1.2;
                }
                case INFERENCE -> {
                    mean = inferenceUtil;
                    sigma = 4.0;
                }
                default -> {
                    mean = 1.5;
                    sigma = 0.35;
                }
            }
            for (int c = 0; c < 8; c++) {
                double util = Math.max(0, Math.min(100, mean + bias[c] * mean / 100 + sigma * random.nextGaussian()));
                double powerNoise = 1.5 * random.nextGaussian();
                if (c == straggler && load != Load.IDLE && !communicating()) {
                    util *= straggle;
                }
                if (c == throttled) {
                    double capW = capFraction * maxW[c];
                    double capUtil = 100 * (capW - idleW[c]) / (maxW[c] - idleW[c]);
                    if (util > capUtil) {
                        util = capUtil - Math.abs(powerNoise) / (maxW[c] - idleW[c]) * 100;
                    }
                }
                double power = Math.round((idleW[c] + (maxW[c] - idleW[c]) * util / 100 + powerNoise) * 1000) / 1000.0;
                util = Math.round(util * 1000) / 1000.0;
                harness.processElement(Readings.reading(ts, 2, 4, c, load == Load.IDLE ? null : job, util, power,
                        60, 0), ts);
            }
            harness.processWatermark(ts - 1000);
            second++;
        }
        List<Anomaly> all = harness.extractOutputValues();
        return all.subList(before, all.size()).stream().filter(a -> only == null || a.type() == only).toList();
    }

    /** Runs until the detector emits something or {@code maxSeconds} pass; returns the seconds it took. */
    int secondsUntilSomething(int maxSeconds, List<Anomaly> into) throws Exception {
        for (int s = 1; s <= maxSeconds; s++) {
            into.addAll(run(1));
            if (!into.isEmpty()) {
                return s;
            }
        }
        return -1;
    }

    int second() {
        return second;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
