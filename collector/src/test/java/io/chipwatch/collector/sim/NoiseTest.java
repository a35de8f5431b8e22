package io.chipwatch.collector.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NoiseTest {

    @Test
    void aStreamIsAFunctionOfItsKeys() {
        Noise a = new Noise().reset(1, 2, 3);
        Noise b = new Noise();
        b.reset(9, 9, 9).nextLong();
        b.reset(1, 2, 3);
        for (int i = 0; i < 10; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        assertThat(new Noise().reset(1, 2, 4).nextLong()).isNotEqualTo(new Noise().reset(1, 2, 3).nextLong());
        assertThat(new Noise().reset(2, 2, 3).nextLong()).isNotEqualTo(new Noise().reset(1, 2, 3).nextLong());
    }

    @Test
    void gaussianHasUnitVarianceAndIsBounded() {
        Noise noise = new Noise();
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            double g = noise.reset(7, 1_767_225_600_000L + i, i % 97).gaussian();
            sum += g;
            sumSq += g * g;
            maxAbs = Math.max(maxAbs, Math.abs(g));
        }
        assertThat(sum / n).isCloseTo(0, within(0.02));
        assertThat(sumSq / n).isCloseTo(1, within(0.02));
        assertThat(maxAbs).isLessThanOrEqualTo(2 * Math.sqrt(3));
    }

    @Test
    void uniformAndExponentialHaveTheRightMeans() {
        Noise noise = new Noise().reset(3, 4, 5);
        int n = 100_000;
        double u = 0;
        double e = 0;
        for (int i = 0; i < n; i++) {
            double x = noise.uniform();
            assertThat(x).isGreaterThanOrEqualTo(0).isLessThan(1);
            u += x;
            e += noise.exponential();
        }
        assertThat(u / n).isCloseTo(0.5, within(0.01));
        assertThat(e / n).isCloseTo(1.0, within(0.02));
    }
}
