package io.chipwatch.alerting.insight;

import java.util.List;

/** Where the history check puts the chip-hours lost per window: InfluxDB ({@link InfluxInsights}) or a test list. */
@FunctionalInterface
public interface LossWriter {
    /** The losses of the window that starts at {@code windowStartMillis}; written again, they replace the last. */
    void write(List<StragglerCost.Loss> losses, long windowStartMillis);
}
