package io.chipwatch.alerting.rules;

import io.chipwatch.model.anomaly.Fact;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a {@link Fact} reads in an alert: counts as integers, µs/h with up to 3 decimals, µs and °C/s with up to 2, everything else
 * (°C, W, %, s, ×) with up to 1; trailing zeros dropped. The unit is the template's to write.
 */
final class FactFormat {
    private FactFormat() {
    }

    static String format(Fact fact, double value) {
        int decimals = switch (fact.unit()) {
            case "µs/h" -> 3;
            case "µs", "°C/s" -> 2;
            case "°C", "W", "%", "s", "×" -> 1;
            default -> 0;
        };
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
