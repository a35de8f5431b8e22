package io.chipwatch.jobs.detect;

import io.chipwatch.jobs.datatypes.ChipReading;

/** Hand-made {@link ChipReading}s for detector tests. */
final class Readings {
    private Readings() {
    }

    /** Chip {@code c} of node {@code n} of rack {@code rack}: ids in the simulator's scheme. */
    static String chip(int rack, int n, int c) {
        return node(rack, n) + String.format("-c%02d", c);
    }

    static String node(int rack, int n) {
        return rack(rack) + String.format("-n%02d", n);
    }

    static String rack(int rack) {
        return String.format("p00-r%02d", rack);
    }

    static ChipReading reading(long ts, int rack, int n, int c, String job, double util, double powerW,
                               double tempC, double excessC) {
        return new ChipReading(ts, chip(rack, n, c), node(rack, n), rack(rack), "p00", job, util, powerW, tempC,
                excessC, false, true);
    }
}
