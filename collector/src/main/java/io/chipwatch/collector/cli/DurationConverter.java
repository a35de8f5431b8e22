package io.chipwatch.collector.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human durations for command-line options and scenario files: a whole number with a unit, {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code 1h} or {@code 1d}, or several of them in a row ({@code 1m30s}, {@code 1h15m});
 * ISO-8601 ({@code PT10S}) is accepted too.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * @throws CommandLine.TypeConversionException when the text is not a duration this class understands
     */
    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large a duration");
            }
            end = m.end();
            while (end < text.length() && text.charAt(end) == ' ') {
                end++;
            }
        }
        if (end > 0 && end == text.length()) {
            return total;
        }
        if (text.startsWith("pt") || text.startsWith("p")) {
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; use a number with a unit: 500ms, 10s, 2m, 1h, 1d (or 1m30s)");
    }
}
