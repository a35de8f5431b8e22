package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;
import io.chipwatch.model.wire.ChipSampleCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded run of a small cluster for the roll-up tests: 32 chips in 8 nodes of 4, 4 racks, 2 pods
 * ({@code Topology.build(new ClusterShape(4, 2, 2), 32)}), each with 3 intra-node links and a fabric link,
 * reporting once a second for {@link #SECONDS} seconds from {@link #T0} (the start of an hour, two hours ago).
 *
 * <p>Chosen so that every expected value is exact whatever the order of additions: utilisation and power are
 * multiples of 2.5, so every chip's 10-second mean (of 10 or 5 samples) is a multiple of 1/4, and sums of those are
 * exact. Link latencies are random with nanosecond resolution (as the simulator's), with occasional spikes, so
 * that percentiles have something to show. Events: jobs {@code train-a} (nodes 0-1), {@code train-b} (nodes 2-4,
 * ends at 35 s), {@code infer-c} (node 7); chip 5 is silent from 10 to 19 s (no point for that window); chip 9
 * reports only odd seconds from 20 to 29 s; chip 3's samples at 12 s and 47 s are sent twice.
 */
final class RollupScenario {
    static final int SECONDS = 120;
    static final long T0 = (System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L;
    static final Topology TOPOLOGY = Topology.build(new ClusterShape(4, 2, 2), 32);

    private RollupScenario() {
    }

    /** The distinct samples of seconds {@code [from, to)}, in time order. */
    static List<ChipSample> samples(int from, int to) {
        Random random = new Random(20261128L);
        List<ChipSample> samples = new ArrayList<>();
        for (int s = 0; s < to; s++) {
            for (Chip chip : TOPOLOGY.chips()) {
                // Draw latencies for every chip and second, so the values do not depend on the range asked for.
                List<LinkLatency> links = new ArrayList<>();
                for (Link link : chip.links()) {
                    boolean fabric = link.kind() == LinkKind.FABRIC;
                    double latency = (fabric ? 3.5 : 1.5) + random.nextDouble();
                    if (random.nextInt(100) == 0) {
                        latency *= 10 + random.nextInt(20);
                    }
                    links.add(new LinkLatency(link.id(), link.peerOf(chip.id()), link.kind(),
                            Math.round(latency * 1000) / 1000.0));
                }
                if (s < from || !reports(chip.index(), s)) {
                    continue;
                }
                int c = chip.index();
                double util = 2.5 * ((c * 7 + s * 3) % 41);
                double power = 80 + 2.5 * ((c * 5 + s * 11) % 129);
                double temp = 40 + 0.25 * ((c + 3 * s) % 160);
                samples.add(new ChipSample(T0 + s * 1000L, chip.id(), chip.node(), chip.rack(), chip.pod(),
                        job(c / 4, s), util, temp, power, links));
            }
        }
        return samples;
    }

    static List<ChipSample> samples() {
        return samples(0, SECONDS);
    }

    /** The records of seconds {@code [from, to)}: every sample, plus the two duplicates that fall in the range. */
    static List<KeyedValue> records(int from, int to) {
        ChipSampleCodec codec = new ChipSampleCodec();
        List<KeyedValue> records = new ArrayList<>();
        for (ChipSample s : samples(from, to)) {
            byte[] value = codec.encode(s);
            records.add(new KeyedValue(s.chip(), value));
            long second = (s.timestampMillis() - T0) / 1000;
            if (s.chip().equals(TOPOLOGY.chips().get(3).id()) && (second == 12 || second == 47)) {
                records.add(new KeyedValue(s.chip(), value));
            }
        }
        return records;
    }

    private static boolean reports(int chip, int second) {
        if (chip == 5 && second >= 10 && second < 20) {
            return false;
        }
        return chip != 9 || second < 20 || second >= 30 || second % 2 == 1;
    }

    private static String job(int node, int second) {
        if (node <= 1) {
            return "train-a";
        }
        if (node <= 4) {
            return second < 35 ? "train-b" : null;
        }
        return node == 7 ? "infer-c" : null;
    }
}
