package io.chipwatch.cli.capacity;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations of {@code --since} and {@code --step}: a whole number and a unit, {@code m} (minutes), {@code h},
 * {@code d} (24 h) or {@code w} (7 d), e.g. {@code 90m}, {@code 12h}, {@code 30d}, {@code 2w}. The roll-ups are at
 * least one minute apart, so nothing finer is accepted. Printed back in the largest unit that divides it.
 */
public final class CapacityDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})([mhdw])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** @throws CommandLine.TypeConversionException (picocli prefixes the option's name) when it is not one */
    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use a whole number "
                    + "and a unit m, h, d or w, e.g. 90m, 12h, 30d");
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is zero: a duration must be positive");
        }
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}: the way InfluxQL's {@code GROUP BY time(...)} takes it too. */
    public static String format(Duration d) {
        long minutes = d.toMinutes();
        if (minutes % (7 * 24 * 60) == 0) {
            return minutes / (7 * 24 * 60) + "w";
        }
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        if (minutes % 60 == 0) {
            return minutes / 60 + "h";
        }
        return minutes + "m";
    }

    /** picocli instantiates converters through their no-arg constructor. */
    public CapacityDuration() {
    }
}
