package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incrementally aggregates one chip's samples in a window: count, sums (for the means) and maxima of
 * utilisation, temperature and power, plus the hierarchy ids and job. Incremental, so a window holds one small
 * accumulator per chip rather than all its samples.
 *
 * <p>Ids and job are taken by event time, not arrival order, so the result does not depend on how samples
 * were interleaved: node, rack and pod from the latest sample; job from the latest sample that had one (a chip
 * whose job ended mid-window still reports that job for the window).
 *
 * <p>The result is the accumulator itself; {@link EmitChipWindow} adds the chip and window start.
 */
public class ChipWindowAggregate implements AggregateFunction<ChipSample, ChipWindowAccumulator, ChipWindowAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public ChipWindowAccumulator createAccumulator() {
        return new ChipWindowAccumulator();
    }

    @Override
    public ChipWindowAccumulator add(ChipSample s, ChipWindowAccumulator acc) {
        acc.count++;
        acc.utilSum += s.util();
        acc.utilMax = Math.max(acc.utilMax, s.util());
        acc.tempSum += s.tempC();
        acc.tempMax = Math.max(acc.tempMax, s.tempC());
        acc.powerSum += s.powerW();
        acc.powerMax = Math.max(acc.powerMax, s.powerW());
        if (s.timestampMillis() >= acc.latestTimestamp) {
            acc.latestTimestamp = s.timestampMillis();
            acc.node = s.node();
            acc.rack = s.rack();
            acc.pod = s.pod();
        }
        if (s.job() != null && s.timestampMillis() >= acc.jobTimestamp) {
            acc.jobTimestamp = s.timestampMillis();
            acc.job = s.job();
        }
        return acc;
    }

    @Override
    public ChipWindowAccumulator getResult(ChipWindowAccumulator acc) {
        return acc;
    }

    @Override
    public ChipWindowAccumulator merge(ChipWindowAccumulator a, ChipWindowAccumulator b) {
        // Only merging (session) windows call this; implemented so the function stays correct if reused there.
        ChipWindowAccumulator m = new ChipWindowAccumulator();
        m.count = a.count + b.count;
        m.utilSum = a.utilSum + b.utilSum;
        m.utilMax = Math.max(a.utilMax, b.utilMax);
        m.tempSum = a.tempSum + b.tempSum;
        m.tempMax = Math.max(a.tempMax, b.tempMax);
        m.powerSum = a.powerSum + b.powerSum;
        m.powerMax = Math.max(a.powerMax, b.powerMax);
        ChipWindowAccumulator ids = b.latestTimestamp >= a.latestTimestamp ? b : a;
        m.latestTimestamp = ids.latestTimestamp;
        m.node = ids.node;
        m.rack = ids.rack;
        m.pod = ids.pod;
        ChipWindowAccumulator job = b.jobTimestamp >= a.jobTimestamp ? b : a;
        m.jobTimestamp = job.jobTimestamp;
        m.job = job.job;
        return m;
    }
}
