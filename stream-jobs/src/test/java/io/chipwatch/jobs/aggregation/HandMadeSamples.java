package io.chipwatch.jobs.aggregation;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.testing.KeyedValue;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.wire.ChipSampleCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, fully known input for end-to-end tests of the aggregation job, and the windows it must produce,
 * worked out here without any of the job's code.
 *
 * <p>Four chips report once a second for 60 s from {@link #T0} (six 10-second windows each, 24 in all). Chip
 * {@code c0} always runs {@code train-1}; {@code c1} is idle for 15 s, then runs {@code train-2}; {@code c2}
 * is always idle; {@code c3} runs {@code infer-1} until 42 s, then idles. Every value is a multiple of 1/4 so
 * that sums are exact in any order and the expected means are the very doubles the job must compute. The
 * record stream also holds one duplicate (c0 at 12 s, sent again one record later) and one malformed
 * record (a truncated sample).
 */
final class HandMadeSamples {
    /** Start of the first window: a multiple of 10 s, recent enough to sit in InfluxDB's default retention. */
    /** Every sample's one link latency, µs: so every chip window's link p50, p99 and max. */
    static final double FABRIC_US = 4.5;
    static final long T0 = (System.currentTimeMillis() / 10_000 - 360) * 10_000;
    static final int CHIPS = 4;
    static final int SECONDS = 60;
    static final long WINDOW_MS = 10_000;

    private HandMadeSamples() {
    }

    /** The distinct samples, in time order. */
    static List<ChipSample> samples() {
        List<ChipSample> samples = new ArrayList<>();
        for (int s = 0; s < SECONDS; s++) {
            for (int c = 0; c < CHIPS; c++) {
                samples.add(sample(c, s));
            }
        }
        return samples;
    }

    /** Every record to send, in order: each sample once, plus the duplicate and the malformed record. */
    static List<KeyedValue> records() {
        ChipSampleCodec codec = new ChipSampleCodec();
        List<KeyedValue> records = new ArrayList<>();
        for (ChipSample s : samples()) {
            records.add(new KeyedValue(s.chip(), codec.encode(s)));
            if (s.chip().equals(chip(1)) && s.timestampMillis() == T0 + 13_000) {
                // A retry of c0's 12 s sample, arriving a second late (within the allowed out-of-orderness).
                records.add(new KeyedValue(chip(0), codec.encode(sample(0, 12))));
            }
            if (s.chip().equals(chip(2)) && s.timestampMillis() == T0 + 30_000) {
                records.add(new KeyedValue(chip(3), malformed()));
            }
        }
        return records;
    }

    /** The one malformed record value: a valid sample cut short. */
    static byte[] malformed() {
        byte[] whole = new ChipSampleCodec().encode(sample(3, 30));
        return Arrays.copyOf(whole, whole.length - 5);
    }

    /** Expected windows by "chip@windowStart", computed straight from {@link #samples()}. */
    static Map<String, ChipWindow> expectedWindows() {
        Map<String, List<ChipSample>> byWindow = new LinkedHashMap<>();
        for (ChipSample s : samples()) {
            long start = s.timestampMillis() - Math.floorMod(s.timestampMillis(), WINDOW_MS);
            byWindow.computeIfAbsent(s.chip() + "@" + start, k -> new ArrayList<>()).add(s);
        }
        Map<String, ChipWindow> expected = new LinkedHashMap<>();
        byWindow.forEach((key, in) -> {
            double utilSum = 0, tempSum = 0, powerSum = 0;
            double utilMax = -Double.MAX_VALUE, tempMax = -Double.MAX_VALUE, powerMax = -Double.MAX_VALUE;
            String job = null;
            for (ChipSample s : in) { // in time order, so the last job seen is the latest
                utilSum += s.util();
                tempSum += s.tempC();
                powerSum += s.powerW();
                utilMax = Math.max(utilMax, s.util());
                tempMax = Math.max(tempMax, s.tempC());
                powerMax = Math.max(powerMax, s.powerW());
                job = s.job() != null ? s.job() : job;
            }
            ChipSample first = in.get(0);
            long start = first.timestampMillis() - Math.floorMod(first.timestampMillis(), WINDOW_MS);
            int n = in.size();
            expected.put(key, new ChipWindow(first.chip(), first.node(), first.rack(), first.pod(), job, start,
                    utilSum / n, utilMax, tempSum / n, tempMax, powerSum / n, powerMax, n,
                    FABRIC_US, FABRIC_US, FABRIC_US));
        });
        return expected;
    }

    static String chip(int c) {
        return "p0-r0-n" + (c / 2) + "-c" + (c % 2);
    }

    static ChipSample sample(int c, int second) {
        String node = "p0-r0-n" + (c / 2);
        String job = switch (c) {
            case 0 -> "train-1";
            case 1 -> second >= 15 ? "train-2" : null;
            case 3 -> second < 42 ? "infer-1" : null;
            default -> null;
        };
        double util = ((c * 7 + second * 3) % 41) * 2.5;
        double temp = 40 + ((c + second) % 17) * 0.75;
        double power = 90 + ((c * 5 + second * 11) % 63) * 5.25;
        return new ChipSample(T0 + second * 1000L, chip(c), node, "p0-r0", "p0", job, util, temp, power,
                List.of(new LinkLatency(chip(c) + "-fabric", "p0-r0-switch", LinkKind.FABRIC, FABRIC_US)));
    }
}
