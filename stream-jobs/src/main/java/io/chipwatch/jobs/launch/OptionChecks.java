package io.chipwatch.jobs.launch;

import java.time.Duration;

/**
 * The checks the job settings run on their values, each failing with an {@link IllegalArgumentException} whose
 * message names the option and says what to pass instead.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /** {@code value}, trimmed; fails when it is missing ("is required") or blank ("needs a value"). */
    public static String required(String value, String option, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required; pass " + expected);
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value; pass " + expected);
        }
        return value.trim();
    }

    /** {@code value} if it is not negative. */
    public static Duration nonNegative(Duration value, String option, String example) {
        if (value.isNegative()) {
            throw invalid(option, value.toMillis(), "milliseconds >= 0, " + example);
        }
        return value;
    }

    /** {@code value} if it is zero or at least {@code minMillis}. */
    public static Duration zeroOrAtLeast(Duration value, String option, long minMillis, String expected) {
        if (value.isNegative() || (!value.isZero() && value.toMillis() < minMillis)) {
            throw invalid(option, value.toMillis(), expected);
        }
        return value;
    }

    /** {@code value} if it is a whole number of days, at least {@code minDays}. */
    public static Duration days(Duration value, String option, long minDays) {
        if (value.toDays() < minDays || !value.equals(Duration.ofDays(value.toDays()))) {
            throw invalid(option, value.toDays(), "a whole number of days, at least " + minDays
                    + (minDays > 1 ? " (the raw retention)" : "") + ", e.g. " + option + " " + Math.max(minDays, 7));
        }
        return value;
    }

    /** "{@code option} has invalid value '{@code value}'; pass {@code expected}". */
    public static IllegalArgumentException invalid(String option, Object value, String expected) {
        return new IllegalArgumentException(option + " has invalid value '" + value + "'; pass " + expected);
    }
}
