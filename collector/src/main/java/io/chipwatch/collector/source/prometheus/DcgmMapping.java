package io.chipwatch.collector.source.prometheus;

import io.chipwatch.collector.source.ChipIds;
import io.chipwatch.collector.source.ChipInfo;
import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;
import io.chipwatch.model.sample.ChipSample;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one scrape of a dcgm-exporter target into chip samples. Per GPU (its {@code gpu} label): utilisation from
 * {@code DCGM_FI_DEV_GPU_UTIL} (%), temperature from {@code DCGM_FI_DEV_GPU_TEMP} (°C), power from
 * {@code DCGM_FI_DEV_POWER_USAGE} (W); the chip id is {@code <node>-c<gpu as two digits>}, pod, rack and node come
 * from the target's labels, the job is unknown (null). {@code UUID} (or {@code uuid}), {@code modelName} and
 * {@code Hostname} (or {@code hostname}, dcgm-exporter's newer spelling) are kept as {@link ChipInfo}. Every other
 * series is ignored, and so are MIG instances (series with a {@code GPU_I_ID}): their readings are per instance,
 * not per chip.
 */
public final class DcgmMapping {
    public static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    public static final String TEMP = "DCGM_FI_DEV_GPU_TEMP";
    public static final String POWER = "DCGM_FI_DEV_POWER_USAGE";
    /** The series the mapping reads; the parser keeps only these. */
    public static final Set<String> SERIES = Set.of(UTIL, TEMP, POWER);

    private DcgmMapping() {
    }

    /** The samples (stamped {@code timestampMillis}) and problems of one scrape's series. */
    public static SourceReading map(ScrapeTarget target, List<Series> series, long timestampMillis) {
        Map<Integer, Gpu> gpus = new TreeMap<>();
        Map<SourceProblem, Integer> problems = new EnumMap<>(SourceProblem.class);
        List<String> details = new ArrayList<>();
        for (Series s : series) {
            if (!SERIES.contains(s.name()) || hasText(s.label("GPU_I_ID"))) {
                continue;
            }
            String chip;
            try {
                chip = ChipIds.chipId(target.node(), s.label("gpu"));
            } catch (IllegalArgumentException e) {
                problem(problems, details, SourceProblem.BAD_GPU, s.name() + ": " + e.getMessage());
                continue;
            }
            Gpu g = gpus.computeIfAbsent(Integer.parseInt(s.label("gpu").trim()), k -> new Gpu(chip));
            g.info(s);
            switch (s.name()) {
                case UTIL -> g.util = s.value();
                case TEMP -> g.temp = s.value();
                default -> g.power = s.value();
            }
        }
        if (gpus.isEmpty() && !problems.containsKey(SourceProblem.BAD_GPU)) {
            problem(problems, details, SourceProblem.MISSING_SERIES, "no " + UTIL + ", " + TEMP + " or " + POWER
                    + " series with a gpu label: is this a dcgm-exporter?");
        }
        List<ChipSample> samples = new ArrayList<>(gpus.size());
        List<ChipInfo> chips = new ArrayList<>(gpus.size());
        for (Gpu g : gpus.values()) {
            chips.add(new ChipInfo(g.chip, target.node(), g.uuid, g.model, g.hostname));
            if (g.util == null || g.temp == null || g.power == null) {
                problem(problems, details, SourceProblem.MISSING_SERIES, g.chip + " lacks "
                        + (g.util == null ? UTIL : g.temp == null ? TEMP : POWER));
            } else if (!Double.isFinite(g.util) || !Double.isFinite(g.temp) || !Double.isFinite(g.power)) {
                problem(problems, details, SourceProblem.NAN, g.chip + " reads util " + g.util + ", temp " + g.temp
                        + ", power " + g.power);
            } else {
                samples.add(new ChipSample(timestampMillis, g.chip, target.node(), target.rack(), target.pod(), null,
                        g.util, g.temp, g.power, List.of()));
            }
        }
        return new SourceReading(samples, chips, problems, details.isEmpty() ? "" : details.get(0));
    }

    private static void problem(Map<SourceProblem, Integer> problems, List<String> details, SourceProblem p,
                                String detail) {
        problems.merge(p, 1, Integer::sum);
        details.add(detail);
    }

    private static boolean hasText(String s) {
        return s != null && !s.isEmpty();
    }

    /** One GPU's readings and labels as the scrape gives them. */
    private static final class Gpu {
        final String chip;
        Double util;
        Double temp;
        Double power;
        String uuid = "";
        String model = "";
        String hostname = "";

        Gpu(String chip) {
            this.chip = chip;
        }

        void info(Series s) {
            uuid = first(uuid, s.label("UUID"), s.label("uuid"));
            model = first(model, s.label("modelName"), s.label("model_name"));
            hostname = first(hostname, s.label("Hostname"), s.label("hostname"));
        }

        private static String first(String had, String a, String b) {
            return !had.isEmpty() ? had : hasText(a) ? a : hasText(b) ? b : "";
        }
    }
}
