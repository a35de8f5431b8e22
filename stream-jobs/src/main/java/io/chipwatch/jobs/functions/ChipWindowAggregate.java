package io.chipwatch.jobs.functions;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.functions.AggregateFunction;

import java.util.Arrays;
import java.util.List;

/**
 * Incrementally aggregates one chip's samples in a window, each distinct sample once (a sample with the same chip
 * and time as one added before is a producer's retry and is skipped): count, sums (for the means) and maxima of
 * utilisation, temperature and power, the hierarchy ids and job, and per link the count, sum, maximum and a
 * {@link io.chipwatch.jobs.sketch.LatencySketch} of its latency. Incremental, so a window holds one small
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
        if (!acc.addTimestamp(s.timestampMillis())) {
            return acc; // a duplicate: same chip and time as a sample counted already
        }
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
        List<LinkLatency> links = s.links();
        for (int i = 0; i < links.size(); i++) {
            LinkLatency l = links.get(i);
            acc.link(l, i, links.size()).add(l.latencyUs());
        }
        return acc;
    }

    @Override
    public ChipWindowAccumulator getResult(ChipWindowAccumulator acc) {
        return acc;
    }

    @Override
    public ChipWindowAccumulator merge(ChipWindowAccumulator a, ChipWindowAccumulator b) {
        // Only merging (session) windows call this; implemented so the function stays usable there. Each sample is
        // in one of the two (Flink assigns it to one window before merging), so only the timestamp sets are united.
        ChipWindowAccumulator m = new ChipWindowAccumulator();
        for (ChipWindowAccumulator side : new ChipWindowAccumulator[]{a, b}) {
            for (int i = 0; i < side.count; i++) {
                if (m.addTimestamp(side.timestamps[i])) {
                    m.count++;
                }
            }
        }
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
        m.links = new LinkAccumulator[0];
        for (ChipWindowAccumulator side : new ChipWindowAccumulator[]{a, b}) {
            for (LinkAccumulator l : side.links) {
                if (l == null) {
                    continue;
                }
                LinkAccumulator existing = null;
                for (int i = 0; i < m.links.length; i++) {
                    if (m.links[i].link.equals(l.link)) {
                        existing = m.links[i];
                        m.links[i] = LinkAccumulator.merged(existing, l);
                    }
                }
                if (existing == null) {
                    m.links = Arrays.copyOf(m.links, m.links.length + 1);
                    m.links[m.links.length - 1] = LinkAccumulator.merged(l, new LinkAccumulator(l.link, l.peer, l.kind));
                }
            }
        }
        return m;
    }
}
