package io.chipwatch.jobs.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionConfigTest {

    @Test
    void readsTheDocumentedDefaults() {
        DetectionConfig c = DetectionConfig.defaults();
        assertThat(c.silence().missedSamples()).isEqualTo(3);
        // Judged on the chip's own interval, with a floor for fast sampling.
        assertThat(c.silence().limitMs(1000)).isEqualTo(3000);
        assertThat(c.silence().limitMs(100)).isEqualTo(300);
        assertThat(c.overheat().slopeCPerS()).isEqualTo(0.4);
        assertThat(c.overheat().criticalC()).isEqualTo(90.0);
        assertThat(c.thermal().thermalResistanceCPerW()).isEqualTo(0.1275);
        assertThat(c.powerThrottle().tdpW()).isEqualTo(400.0);
        assertThat(c.straggler().maxUtilRatio()).isEqualTo(0.83);
        assertThat(c.straggler().confirmBelowRatio()).isEqualTo(0.7);
        assertThat(c.straggler().maxRatioSpread()).isEqualTo(0.05);
        assertThat(c.link().highRatio()).isEqualTo(4.0);
        // The fractional-reading rule on 4 repeats; the model rule on 6 (issue #21).
        assertThat(c.stuckSensor().minRepeats()).isEqualTo(4);
        assertThat(c.stuckSensor().modelMinRepeats()).isEqualTo(6);
    }

    @Test
    void aFileOverridesOnlyTheKeysItNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "overheat:\n  slopeCPerS: 0.8\nsilence:\n  missedSamples: 5\n");

        DetectionConfig c = DetectionConfig.load(file);

        assertThat(c.overheat().slopeCPerS()).isEqualTo(0.8);
        assertThat(c.silence().missedSamples()).isEqualTo(5);
        assertThat(c.overheat().minExcessC()).isEqualTo(DetectionConfig.defaults().overheat().minExcessC());
        assertThat(c.link()).isEqualTo(DetectionConfig.defaults().link());
        DetectionConfig.StuckSensor stuck = DetectionConfig.fromYaml("stuckSensor:\n  modelMinRepeats: 8\n")
                .stuckSensor();
        assertThat(stuck.modelMinRepeats()).isEqualTo(8);
        assertThat(stuck.minRepeats()).isEqualTo(DetectionConfig.defaults().stuckSensor().minRepeats());
    }

    @Test
    void anUnknownKeyFailsNamingIt() {
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overheat:\n  slopeCelsius: 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overheat.slopeCelsius");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overhead:\n  slopeCPerS: 1\n"))
                .hasMessageContaining("'overhead'");
    }

    @Test
    void aBadValueFailsNamingTheKeyAndWhatItNeeds() {
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overheat:\n  slopeCPerS: fast\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overheat.slopeCPerS").hasMessageContaining("a number");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("silence:\n  minSilenceMs: -5\n"))
                .hasMessageContaining("silence.minSilenceMs").hasMessageContaining("-5");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("peers:\n  minSamples: 2.5\n"))
                .hasMessageContaining("peers.minSamples").hasMessageContaining("whole number");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("stuckSensor:\n  modelMinRepeats: 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stuckSensor.modelMinRepeats").hasMessageContaining("'1'");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("stuckSensor:\n  minSteadyRippleC: -0.5\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stuckSensor.minSteadyRippleC").hasMessageContaining("'-0.5'");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("stuckSensor:\n  modelMinRepeats: 5.5\n"))
                .hasMessageContaining("stuckSensor.modelMinRepeats").hasMessageContaining("whole number");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overheat: 3\n"))
                .hasMessageContaining("overheat").hasMessageContaining("mapping");
    }

    @Test
    void inconsistentValuesFailNamingTheKey() {
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overheat:\n  clearC: 99\n"))
                .hasMessageContaining("overheat.clearC").hasMessageContaining("criticalC");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("overheat:\n  healthyResistanceSpread: 1.0\n"))
                .hasMessageContaining("overheat.healthyResistanceSpread").hasMessageContaining("below 1");
        assertThat(DetectionConfig.fromYaml("overheat:\n  healthyResistanceSpread: 0\n").overheat()
                .healthyResistanceSpread()).isZero();
        assertThat(DetectionConfig.defaults().overheat().healthyResistanceSpread()).isEqualTo(0.4);
        assertThatThrownBy(() -> DetectionConfig.fromYaml("link:\n  flapRatio: 2\n"))
                .hasMessageContaining("link.flapRatio");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("straggler:\n  confirmBelowRatio: 0.5\n"))
                .hasMessageContaining("straggler.confirmBelowRatio").hasMessageContaining("0.5")
                .hasMessageContaining("straggler.minUtilRatio");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("straggler:\n  maxUtilRatio: 0.65\n"))
                .hasMessageContaining("straggler.maxUtilRatio").hasMessageContaining("straggler.confirmBelowRatio");
        assertThatThrownBy(() -> DetectionConfig.fromYaml("straggler:\n  maxRatioSpread: 0\n"))
                .hasMessageContaining("straggler.maxRatioSpread").hasMessageContaining("fraction");
    }

    @Test
    void aMissingFileFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> DetectionConfig.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }
}
