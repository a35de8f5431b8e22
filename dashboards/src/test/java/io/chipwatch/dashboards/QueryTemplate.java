package io.chipwatch.dashboards;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a dashboard's InfluxQL the way Grafana's InfluxDB datasource does before it sends it: the macros
 * {@code $timeFilter}/{@code $__timeFilter} become {@code time >= <from>ms and time <= <to>ms},
 * {@code $__interval}/{@code $interval} the interval, and template variables ({@code $name}, {@code ${name}},
 * {@code [[name]]}) their value, regex-escaped for multi-value or "All" variables (which the dashboards only use
 * inside {@code =~ /^$name$/}), as is for single-value ones.
 */
final class QueryTemplate {

    private static final Pattern TOKEN = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|\\[\\]{}/]");

    private QueryTemplate() {
    }

    /** The variables a query refers to (macros excluded), in order of appearance. */
    static Set<String> variables(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(query);
        while (m.find()) {
            String name = name(m);
            if (!isMacro(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Only the template variables; Grafana's macros stay for Grafana (or {@link #render}) to fill. */
    static String fillVariables(String query, Map<String, String> values, Set<String> regexVariables) {
        return replace(query, name -> isMacro(name) ? null : value(name, values, regexVariables));
    }

    /**
     * Macros and variables, as Grafana would send the query to InfluxDB.
     *
     * @throws IllegalArgumentException naming a variable that has no value
     */
    static String render(String query, long fromMillis, long toMillis, String interval, Map<String, String> values,
                         Set<String> regexVariables) {
        return replace(query, name -> switch (name) {
            case "timeFilter", "__timeFilter" -> "time >= " + fromMillis + "ms and time <= " + toMillis + "ms";
            case "__interval", "interval" -> interval;
            case "__interval_ms" -> Long.toString(IntervalMath.millis(interval));
            default -> value(name, values, regexVariables);
        });
    }

    static String regexEscape(String value) {
        return REGEX_SPECIAL.matcher(value).replaceAll(r -> "\\\\" + Matcher.quoteReplacement(r.group()));
    }

    private static boolean isMacro(String name) {
        return name.equals("timeFilter") || name.startsWith("__") || name.equals("interval");
    }

    private static String value(String name, Map<String, String> values, Set<String> regexVariables) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no value for variable $" + name);
        }
        return regexVariables.contains(name) ? regexEscape(v) : v;
    }

    private static String replace(String query, Function<String, String> lookup) {
        Matcher m = TOKEN.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = lookup.apply(name(m));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String name(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** Grafana interval strings ("10s", "1m", "1h", "1d") in milliseconds. */
    static final class IntervalMath {
        private IntervalMath() {
        }

        static long millis(String interval) {
            Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w)").matcher(interval.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not an interval: " + interval);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                case "d" -> n * 86_400_000;
                default -> n * 7 * 86_400_000;
            };
        }
    }
}
