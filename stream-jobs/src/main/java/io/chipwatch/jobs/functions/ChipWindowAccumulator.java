package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.ChipWindow;
import io.chipwatch.jobs.datatypes.LinkWindow;
import io.chipwatch.jobs.sketch.LatencySketch;
import io.chipwatch.model.sample.LinkLatency;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Running statistics of one chip in one window, kept in window state by {@link ChipWindowAggregate}. Mutable, so
 * that the aggregate updates it in place instead of allocating per sample; serialized by
 * {@link ChipWindowAccumulatorSerializer} (a new field must be added there too).
 */
@TypeInfo(ChipWindowAccumulatorSerializer.Factory.class)
public class ChipWindowAccumulator {
    /** Number of distinct samples added. */
    public long count;
    /**
     * Timestamps of the samples added, ascending; the first {@link #count} are used. A sample whose timestamp is
     * here already is a duplicate (a producer's retry) and is not counted again. Keeping them in the window's own
     * state costs about 8 bytes a sample and no extra state lookup or timer: the set goes when the window does.
     */
    public long[] timestamps = NO_TIMESTAMPS;
    public double utilSum;
    public double utilMax = Double.NEGATIVE_INFINITY;
    public double tempSum;
    public double tempMax = Double.NEGATIVE_INFINITY;
    public double powerSum;
    public double powerMax = Double.NEGATIVE_INFINITY;

    /** Time of the latest sample, which the hierarchy ids are taken from. */
    public long latestTimestamp = Long.MIN_VALUE;
    public String node;
    public String rack;
    public String pod;

    /** Time of the latest sample that had a job, or {@link Long#MIN_VALUE} if none had. */
    public long jobTimestamp = Long.MIN_VALUE;
    public String job;

    /** One entry per link the chip reported in the window, in the order first seen. */
    public LinkAccumulator[] links = NO_LINKS;

    private static final LinkAccumulator[] NO_LINKS = new LinkAccumulator[0];
    private static final long[] NO_TIMESTAMPS = new long[0];

    public ChipWindowAccumulator() {
    }

    /**
     * Records the sample time, unless it is recorded already.
     *
     * @return whether the sample is new (to be counted); {@code false} for a duplicate
     */
    boolean addTimestamp(long timestamp) {
        int n = (int) count;
        // Samples arrive in time order almost always: check the end first.
        int pos = n > 0 && timestamp > timestamps[n - 1] ? -(n + 1) : Arrays.binarySearch(timestamps, 0, n, timestamp);
        if (pos >= 0) {
            return false;
        }
        pos = -pos - 1;
        if (n == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, Math.max(16, n * 2));
        }
        System.arraycopy(timestamps, pos, timestamps, pos + 1, n - pos);
        timestamps[pos] = timestamp;
        return true;
    }

    /**
     * The accumulator of link {@code l}. A chip lists its links in the same order in every sample, so the entry at
     * {@code position} (the link's place in the sample) is tried first; the search only runs when the order changes.
     */
    LinkAccumulator link(LinkLatency l, int position, int linksInSample) {
        LinkAccumulator[] known = links;
        if (position < known.length && known[position] != null && known[position].link.equals(l.link())) {
            return known[position];
        }
        int free = -1;
        for (int i = 0; i < known.length; i++) {
            if (known[i] == null) {
                free = free < 0 ? i : free;
            } else if (known[i].link.equals(l.link())) {
                return known[i];
            }
        }
        LinkAccumulator added = new LinkAccumulator(l.link(), l.peer(), l.kind());
        if (free < 0) {
            // Sized for the whole sample at its first link, so a window allocates the array once.
            free = known.length;
            links = Arrays.copyOf(known, known.length + Math.max(1, linksInSample - position));
        }
        links[free] = added;
        return added;
    }

    /** The window's link rows, one per link the chip reported. */
    public List<LinkWindow> toLinkWindows(String chip, long windowStart) {
        List<LinkWindow> rows = new ArrayList<>(links.length);
        for (LinkAccumulator l : links) {
            if (l == null) {
                continue;
            }
            rows.add(new LinkWindow(l.link, chip, l.peer, node, rack, pod, l.kind.label(), windowStart,
                    l.sum / l.count, l.sketch.percentileMicros(99), l.max, l.count));
        }
        return rows;
    }

    /** The latencies of all the chip's links in the window, merged into one sketch (a new object). */
    public LatencySketch linkLatency() {
        List<LatencySketch> sketches = new ArrayList<>(links.length);
        for (LinkAccumulator l : links) {
            if (l != null) {
                sketches.add(l.sketch);
            }
        }
        return LatencySketch.mergeOf(sketches);
    }

    /**
     * The window's row, its link latency summary from {@link #linkLatency()}.
     *
     * @throws IllegalStateException if no sample was added (Flink never fires an empty window)
     */
    public ChipWindow toChipWindow(String chip, long windowStart) {
        return toChipWindow(chip, windowStart, linkLatency());
    }

    /**
     * The window's row, its link latency percentiles from {@code linkLatency} (this window's {@link #linkLatency()},
     * passed in when the caller has it already) and its maximum from the links' exact maxima.
     *
     * @throws IllegalStateException if no sample was added (Flink never fires an empty window)
     */
    public ChipWindow toChipWindow(String chip, long windowStart, LatencySketch linkLatency) {
        if (count == 0) {
            throw new IllegalStateException("no samples for chip " + chip + " in window " + windowStart);
        }
        double linkMax = Double.NEGATIVE_INFINITY;
        for (LinkAccumulator l : links) {
            if (l != null && l.count > 0) {
                linkMax = Math.max(linkMax, l.max);
            }
        }
        boolean noLinks = linkLatency.isEmpty() || linkMax == Double.NEGATIVE_INFINITY;
        return new ChipWindow(chip, node, rack, pod, job, windowStart,
                utilSum / count, utilMax, tempSum / count, tempMax, powerSum / count, powerMax, count,
                noLinks ? Double.NaN : linkLatency.percentileMicros(50),
                noLinks ? Double.NaN : linkLatency.percentileMicros(99),
                noLinks ? Double.NaN : linkMax);
    }
}
