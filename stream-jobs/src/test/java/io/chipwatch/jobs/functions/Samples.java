package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;

import java.util.List;

/** Hand-made samples for tests. */
final class Samples {
    private Samples() {
    }

    /** A sample of chip {@code chip} (node n-{chip}, rack r1, pod p1) with one fabric link. */
    static ChipSample sample(String chip, long timestamp, String job, double util, double tempC, double powerW) {
        return new ChipSample(timestamp, chip, "n-" + chip, "r1", "p1", job, util, tempC, powerW,
                List.of(new LinkLatency(chip + "-fabric", "r1-switch", LinkKind.FABRIC, 4.25)));
    }
}
