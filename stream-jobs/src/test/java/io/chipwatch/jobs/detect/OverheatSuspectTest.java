package io.chipwatch.jobs.detect;

import static io.chipwatch.jobs.detect.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.jobs.datatypes.ChipReading;
import io.chipwatch.jobs.testing.KeyedHarness;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The overheat detector on a suspect: a reading {@link ThermalFeatures} holds as no evidence of the die's course (a
 * glitch held back, or a reading that arrived late, whose excess is against the model of a later instant).
 */
class OverheatSuspectTest {
    @RegisterExtension
    final KeyedHarness<ChipReading, Anomaly> rig = KeyedHarness.of(
            () -> new OverheatDetector(DetectionConfig.defaults()), ChipReading::rack);

    /**
     * Four chips of a rack steady at 65 °C for 60 s, then chip 1's reading of second 60 reads 69 °C, 4 °C above
     * its model (the excess a late reading gets, judged against the model after its job's power dropped), then 5
     * ordinary seconds.
     */
    private List<Anomaly> lateReadingAfterAPowerDrop(boolean suspect) throws Exception {
        for (int s = 0; s <= 65; s++) {
            for (int c = 0; c < 4; c++) {
                ChipReading r = reading(s * 1000L, 0, 0, c, "train-1", 90, 330, 65.0, 0.0);
                if (c == 1 && s == 60) {
                    r = new ChipReading(r.timestampMillis(), r.chip(), r.node(), r.rack(), r.pod(), r.job(), r.util(),
                            r.powerW(), 69.0, 4.0, suspect, true);
                }
                rig.harness().processElement(r, s * 1000L);
            }
        }
        rig.harness().processWatermark(65_000L);
        return rig.harness().extractOutputValues();
    }

    @Test
    void aSuspectReadingIsNoEvidenceOfHeat() throws Exception {
        assertThat(lateReadingAfterAPowerDrop(true)).isEmpty();
    }

    @Test
    void theSameReadingTakenAsEvidenceWouldPage() throws Exception {
        // What the suspect flag protects against: taken at its word, one reading 4 °C above its model meets the
        // rising rule (its 6-sample slope, its excess and rise above 3 °C, the reading climbing).
        assertThat(lateReadingAfterAPowerDrop(false)).extracting(Anomaly::type).contains(AnomalyType.OVERHEAT);
    }
}
