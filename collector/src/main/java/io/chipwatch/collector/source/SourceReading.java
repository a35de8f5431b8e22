package io.chipwatch.collector.source;

import io.chipwatch.model.sample.ChipSample;

import java.util.List;
import java.util.Map;

/**
 * What one reading of a source (one scrape of a target, one round of nvidia-smi lines) gave: the chip samples to
 * publish, what it says about each chip, and the problems found, counted by kind (a chip with a problem gives no
 * sample: a sample with NaN would be dead-lettered downstream anyway).
 *
 * @param samples  the chips' samples, all stamped with the reading's time
 * @param chips    metadata of the chips read
 * @param problems count per kind of problem; empty when clean
 * @param detail   the first problem's explanation, for the log; "" when clean
 */
public record SourceReading(List<ChipSample> samples, List<ChipInfo> chips, Map<SourceProblem, Integer> problems,
                            String detail) {
    public SourceReading {
        samples = List.copyOf(samples);
        chips = List.copyOf(chips);
        problems = Map.copyOf(problems);
    }

    /** A reading that failed as a whole (timeout, unreachable, malformed body). */
    public static SourceReading failed(SourceProblem problem, String detail) {
        return new SourceReading(List.of(), List.of(), Map.of(problem, 1), detail);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
