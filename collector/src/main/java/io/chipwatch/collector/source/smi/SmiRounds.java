package io.chipwatch.collector.source.smi;

import io.chipwatch.collector.source.ChipIds;
import io.chipwatch.collector.source.ChipInfo;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.model.sample.ChipSample;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Groups nvidia-smi's {@code -l 1} output into rounds: one line per GPU, in index order, every second; a line whose
 * index is not above the previous one starts the next round. A round becomes one {@link SourceReading} of the node,
 * its samples stamped with the round's first line's arrival time rounded to the sampling interval (so they line up
 * with other sources); a round that would get the same stamp as the previous one is merged into the next slot's.
 * Not thread-safe.
 */
public final class SmiRounds {
    private final String node;
    private final String rack;
    private final String pod;
    private final long intervalMillis;
    private final List<NvidiaSmiCsv> lines = new ArrayList<>();
    private final Map<SourceProblem, Integer> problems = new EnumMap<>(SourceProblem.class);
    private String detail = "";
    private long roundStartMillis = -1;
    private long lastStamp = Long.MIN_VALUE;

    public SmiRounds(String node, String rack, String pod, long intervalMillis) {
        this.node = Objects.requireNonNull(node, "node");
        this.rack = Objects.requireNonNull(rack, "rack");
        this.pod = Objects.requireNonNull(pod, "pod");
        this.intervalMillis = intervalMillis;
    }

    /**
     * One line of output, received at {@code nowMillis}.
     *
     * @return the previous round when this line starts a new one, else null
     */
    public SourceReading line(String text, long nowMillis) {
        if (text.isBlank()) {
            return null;
        }
        NvidiaSmiCsv row;
        try {
            row = NvidiaSmiCsv.parse(text);
        } catch (IllegalArgumentException e) {
            if (roundStartMillis < 0) {
                roundStartMillis = nowMillis;
            }
            problem(SourceProblem.MALFORMED, e.getMessage());
            return null;
        }
        SourceReading done = null;
        if (!lines.isEmpty() && row.index() <= lines.get(lines.size() - 1).index()) {
            done = flush();
        }
        if (roundStartMillis < 0) {
            roundStartMillis = nowMillis;
        }
        lines.add(row);
        return done;
    }

    /** The round in progress as a reading (at the end of the stream), or null when there is none. */
    public SourceReading flush() {
        if (lines.isEmpty() && problems.isEmpty()) {
            return null;
        }
        long stamp = Math.round((double) roundStartMillis / intervalMillis) * intervalMillis;
        if (stamp <= lastStamp) {
            stamp = lastStamp + intervalMillis;
        }
        lastStamp = stamp;
        List<ChipSample> samples = new ArrayList<>(lines.size());
        List<ChipInfo> chips = new ArrayList<>(lines.size());
        for (NvidiaSmiCsv r : lines) {
            String chip = ChipIds.chipId(node, String.valueOf(r.index()));
            chips.add(new ChipInfo(chip, node, r.uuid(), "", ""));
            if (Double.isFinite(r.util()) && Double.isFinite(r.tempC()) && Double.isFinite(r.powerW())) {
                samples.add(new ChipSample(stamp, chip, node, rack, pod, null, r.util(), r.tempC(), r.powerW(),
                        List.of()));
            } else {
                problem(SourceProblem.NAN, chip + " reads util " + r.util() + ", temp " + r.tempC() + ", power "
                        + r.powerW());
            }
        }
        SourceReading reading = new SourceReading(samples, chips, problems, detail);
        lines.clear();
        problems.clear();
        detail = "";
        roundStartMillis = -1;
        return reading;
    }

    private void problem(SourceProblem p, String what) {
        problems.merge(p, 1, Integer::sum);
        if (detail.isEmpty()) {
            detail = what;
        }
    }
}
