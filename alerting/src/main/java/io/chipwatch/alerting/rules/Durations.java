package io.chipwatch.alerting.rules;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Prometheus and Alertmanager write them: one or more number-unit pairs, units {@code ms, s, m, h, d,
 * w}, e.g. {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}; {@code 0} alone is zero.
 */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    public static final String EXAMPLE = "e.g. 30s, 2m";

    private Durations() {
    }

    /** The duration {@code text} stands for, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(7 * n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(total);
    }

    /** The shortest text form, e.g. {@code 1h30m}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long ms = d.toMillis();
        long[] sizes = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
        String[] units = {"w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                sb.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return sb.toString();
    }
}
