package io.chipwatch.cli.capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chips {@code capacity} counts: {@code --pod}, {@code --rack} and {@code --job}, each repeatable. A chip roll-up
 * point counts when its tag equals one of the values given for each option given (values of one option are OR-ed,
 * options AND-ed); {@code --job} leaves out the chips in no job.
 *
 * @param pods  pod names ({@code p00}); empty: every pod
 * @param racks rack names ({@code p00-r03}); empty: every rack
 * @param jobs  job names; empty: every job, and the chips in none
 */
public record CapacityFilter(List<String> pods, List<String> racks, List<String> jobs) {
    /** Every chip. */
    public static final CapacityFilter NONE = new CapacityFilter(List.of(), List.of(), List.of());

    public CapacityFilter {
        pods = pods == null ? List.of() : List.copyOf(pods);
        racks = racks == null ? List.of() : List.copyOf(racks);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
        for (List<String> values : List.of(pods, racks, jobs)) {
            for (String v : values) {
                if (v.isBlank()) {
                    throw new IllegalArgumentException("--pod, --rack and --job need a name, got an empty one");
                }
            }
        }
    }

    private Map<String, List<String>> byTag() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("pod", pods);
        m.put("rack", racks);
        m.put("job", jobs);
        return m;
    }

    /** {@code  AND ("pod" = 'p00' OR "pod" = 'p01') AND "job" = 'j1'}, or empty for every chip. */
    public String influxQl() {
        StringBuilder sb = new StringBuilder();
        byTag().forEach((tag, values) -> {
            if (!values.isEmpty()) {
                String any = values.stream().map(v -> "\"" + tag + "\" = '" + literal(v) + "'")
                        .collect(Collectors.joining(" OR "));
                sb.append(" AND ").append(values.size() > 1 ? "(" + any + ")" : any);
            }
        });
        return sb.toString();
    }

    /** {@code pod p00, p01; job j1} for captions; empty for every chip. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        byTag().forEach((tag, values) -> {
            if (!values.isEmpty()) {
                parts.add(tag + " " + String.join(", ", values));
            }
        });
        return String.join("; ", parts);
    }

    /** The values as JSON wants them: tag → values, only the options given. */
    public Map<String, List<String>> given() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        byTag().forEach((tag, values) -> {
            if (!values.isEmpty()) {
                m.put(tag, values);
            }
        });
        return m;
    }

    /** An InfluxQL string literal's body: backslashes and single quotes escaped. */
    static String literal(String v) {
        return v.replace("\\", "\\\\").replace("'", "\\'");
    }
}
