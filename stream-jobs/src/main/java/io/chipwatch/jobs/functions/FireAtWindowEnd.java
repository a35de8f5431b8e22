package io.chipwatch.jobs.functions;

import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires an event-time window once, when the watermark passes its end, as {@link EventTimeTrigger} does, without a
 * timer of its own per element: for windows without allowed lateness only.
 *
 * <p>Flink's window operator registers a cleanup timer at {@code window.maxTimestamp() + allowedLateness} for every
 * element, and {@link EventTimeTrigger} registers one at {@code window.maxTimestamp()}: with no lateness both are the
 * same timer, so the second registration is a wasted lookup (and a timer object) per sample, a few percent of the
 * aggregation job's CPU at 10,000 chips (JFR, docs/PERFORMANCE.md). This trigger lets the cleanup timer alone fire
 * the window: the operator asks the trigger on every timer of the window before it clears it, and this one answers
 * {@link TriggerResult#FIRE} at the window's last millisecond. Elements for a window the watermark has passed never
 * reach it: without lateness the operator drops them as late first (to the late side output).
 */
public final class FireAtWindowEnd extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the trigger holds no state. */
    public static final FireAtWindowEnd INSTANCE = new FireAtWindowEnd();

    private FireAtWindowEnd() {
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time >= window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        // no timer or state of its own
    }

    @Override
    public String toString() {
        return "FireAtWindowEnd()";
    }
}
