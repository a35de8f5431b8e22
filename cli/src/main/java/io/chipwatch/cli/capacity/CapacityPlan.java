package io.chipwatch.cli.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code capacity} reads: which roll-up, which window, which InfluxQL. Pure, so every rule is unit-tested.
 *
 * <p><b>Source.</b> The chip-level capacity roll-ups of stream-jobs: one point per chip and hour in
 * {@code capacity_3y.chip_1h}, or per chip and minute in {@code capacity_90d.chip_1m}, each tagged
 * {@code chip,node,rack,pod} and, for {@code --by job}, {@code job}, with field {@code util_mean} (the chip's mean
 * utilisation, 0-100 %, over that hour or minute). The 1-minute roll-ups are used when {@code --step} is not a whole number of hours or {@code --since} is
 * at most {@value #SHORT_RANGE_HOURS} hours; the 1-hour ones otherwise.
 *
 * <p><b>Definitions</b>, per entity and step:
 * <ul>
 *   <li>chip-hours: the number of chip roll-up points, times the roll-up's length in hours (one chip reporting for
 *       one hour is one chip-hour; a chip with no sample in an hour has no point and adds nothing);</li>
 *   <li>mean utilisation: the mean of those points' {@code util_mean}: weighted by chip-time;</li>
 *   <li>idle chip-hours: the chip-hours whose {@code util_mean} is below {@code --idle-below} (default 5 %): a chip that
 *       averaged under 5 % over the hour (or minute) did no useful work in it. With {@code --by job} these are the
 *       chip-hours of chips <em>allocated to the job</em> (the roll-up point carries the job's tag) that did no
 *       useful work: capacity the job holds but does not use. Chips in no job are the entity "(none)";</li>
 *   <li>busy chip-hours: chip-hours minus idle chip-hours.</li>
 * </ul>
 * {@code --total} gives one row per entity over the whole window instead of one per step.
 *
 * <p><b>Window.</b> From the start of the step containing {@code now - since} to now. Steps are aligned to multiples
 * of the step since 1970-01-01T00:00Z, as InfluxDB's {@code GROUP BY time(step)} aligns them (so {@code 1d} steps are
 * UTC days); the last step is partial.
 *
 * @param by         the tag to group by
 * @param since      how far back
 * @param step       the length of one row
 * @param idleBelow  util_mean (%) under which a chip-hour is idle
 * @param resolution which roll-up is read
 * @param start      first step's start (inclusive)
 * @param end        now (inclusive)
 * @param total      one row per entity over the whole window ({@code --total}): {@code start} is then exactly
 *                   {@code now - since} and {@code step} is ignored
 * @param filter     the chips counted ({@code --pod}, {@code --rack}, {@code --job})
 */
public record CapacityPlan(GroupBy by, Duration since, Duration step, double idleBelow, Resolution resolution,
                           Instant start, Instant end, boolean total, CapacityFilter filter) {

    /** Ranges up to this many hours read the 1-minute roll-ups. */
    public static final int SHORT_RANGE_HOURS = 48;
    /** At most this many steps per entity. */
    public static final int MAX_STEPS = 10_000;

    /** What {@code --by} accepts (lower case: picocli matches the option's value to these names). */
    public enum GroupBy {
        pod, rack, node, job;

        public String tag() {
            return name();
        }
    }

    /** The two capacity roll-ups: their retention policy, measurement suffix, point length and retention. */
    public enum Resolution {
        MINUTE("capacity_90d", "_1m", Duration.ofMinutes(1), Duration.ofDays(90)),
        HOUR("capacity_3y", "_1h", Duration.ofHours(1), Duration.ofDays(1095));

        private final String retentionPolicy;
        private final String suffix;
        private final Duration pointLength;
        private final Duration kept;

        Resolution(String retentionPolicy, String suffix, Duration pointLength, Duration kept) {
            this.retentionPolicy = retentionPolicy;
            this.suffix = suffix;
            this.pointLength = pointLength;
            this.kept = kept;
        }

        public String retentionPolicy() {
            return retentionPolicy;
        }

        /** The chip-level measurement, e.g. {@code chip_1h}. */
        public String measurement() {
            return "chip" + suffix;
        }

        public Duration pointLength() {
            return pointLength;
        }

        /** How long stream-jobs keeps it by default. */
        public Duration kept() {
            return kept;
        }

        /** {@code 1m} or {@code 1h}. */
        public String label() {
            return CapacityDuration.format(pointLength);
        }
    }

    public CapacityPlan {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * Checks the options together and plans the read.
     *
     * @throws IllegalArgumentException with a message naming the option(s) to change
     */
    public static CapacityPlan of(GroupBy by, Duration since, Duration step, double idleBelow, Instant now) {
        return of(by, since, step, false, idleBelow, CapacityFilter.NONE, now);
    }

    /**
     * Checks the options together and plans the read, with {@code --total} and the chip filter.
     *
     * @throws IllegalArgumentException with a message naming the option(s) to change
     */
    public static CapacityPlan of(GroupBy by, Duration since, Duration step, boolean total, double idleBelow,
                                  CapacityFilter filter, Instant now) {
        if (since.isNegative() || since.isZero() || since.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("--since must be a positive number of minutes, got " + since);
        }
        if (step.isNegative() || step.isZero() || step.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("--step must be a positive number of minutes, got " + step);
        }
        if (!total && step.compareTo(since) > 0) {
            throw new IllegalArgumentException("--step " + CapacityDuration.format(step) + " is longer than --since "
                    + CapacityDuration.format(since) + ": use a --step of at most the --since");
        }
        if (!(idleBelow > 0 && idleBelow <= 100)) {
            throw new IllegalArgumentException("--idle-below must be a percentage in (0, 100], got " + idleBelow);
        }
        boolean wholeHours = total || step.toMinutes() % 60 == 0;
        Resolution resolution = !wholeHours || since.compareTo(Duration.ofHours(SHORT_RANGE_HOURS)) <= 0
                ? Resolution.MINUTE : Resolution.HOUR;
        if (resolution == Resolution.MINUTE && since.compareTo(Resolution.MINUTE.kept()) > 0) {
            throw new IllegalArgumentException("--step " + CapacityDuration.format(step) + " needs the 1-minute "
                    + "roll-ups, which are kept " + CapacityDuration.format(Resolution.MINUTE.kept()) + ": use --since "
                    + CapacityDuration.format(Resolution.MINUTE.kept()) + " or less, or a --step of whole hours");
        }
        if (total) {
            return new CapacityPlan(by, since, step, idleBelow, resolution, now.minus(since), now, true, filter);
        }
        long stepMillis = step.toMillis();
        long from = Math.floorDiv(now.toEpochMilli() - since.toMillis(), stepMillis) * stepMillis;
        long steps = (now.toEpochMilli() - from) / stepMillis + 1;
        if (steps > MAX_STEPS) {
            throw new IllegalArgumentException("--step " + CapacityDuration.format(step) + " is too fine for --since "
                    + CapacityDuration.format(since) + ": " + steps + " rows per " + by + " (at most " + MAX_STEPS
                    + "); use a longer --step");
        }
        return new CapacityPlan(by, since, step, idleBelow, resolution, Instant.ofEpochMilli(from), now, false,
                filter);
    }

    /** {@code capacity_3y.chip_1h}, for messages. */
    public String source() {
        return resolution.retentionPolicy() + "." + resolution.measurement();
    }

    /** Chip-hours one roll-up point stands for: 1 for the 1-hour roll-up, 1/60 for the 1-minute one. */
    public double chipHoursPerPoint() {
        return resolution.pointLength().toSeconds() / 3600.0;
    }

    /** Per step and entity: the mean of util_mean and the number of chip points. */
    public String usageQuery() {
        return "SELECT mean(\"util_mean\") AS \"util_mean\", count(\"util_mean\") AS \"points\" FROM " + from()
                + " WHERE " + timeRange() + groupBy();
    }

    /** Per step and entity: the number of chip points whose util_mean is under the idle threshold. */
    public String idleQuery() {
        return "SELECT count(\"util_mean\") AS \"idle_points\" FROM " + from() + " WHERE \"util_mean\" < "
                + number(idleBelow) + " AND " + timeRange() + groupBy();
    }

    /**
     * The tag keys of the chip roll-up. {@code --by job} needs the {@code job} tag on it (the chip's job, as on the
     * 10-second {@code chip} points); {@link CapacityResults#requireGroupingTag} checks the answer.
     */
    public String tagKeysQuery() {
        return "SHOW TAG KEYS FROM " + from();
    }

    private String from() {
        return "\"" + resolution.retentionPolicy() + "\".\"" + resolution.measurement() + "\"";
    }

    /** The window, and the chips of {@link #filter}. */
    private String timeRange() {
        return "time >= " + start.toEpochMilli() + "ms AND time <= " + end.toEpochMilli() + "ms" + filter.influxQl();
    }

    /** Per step and entity; with {@link #total} per entity only (InfluxDB then dates each row at the window's start). */
    private String groupBy() {
        String tag = "\"" + by.tag() + "\"";
        return total ? " GROUP BY " + tag : " GROUP BY time(" + CapacityDuration.format(step) + "), " + tag
                + " fill(none)";
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
