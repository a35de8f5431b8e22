package io.chipwatch.jobs.launch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of a job, option by option, from typed values and the same option names the job parses
 * ({@link JobOptionNames}, and the job's own): what a launcher (the CLI's local stack, eval, tests) passes to the
 * job's {@code main}. Options left unset are left out, so the job uses its defaults. Plain Java: it needs neither
 * Flink nor picocli.
 *
 * @param <B> the job's own builder, which adds its options
 */
public abstract class JobArguments<B extends JobArguments<B>> {
    /** Option name to value; {@code null} for a flag given without a value. */
    private final Map<String, String> values = new LinkedHashMap<>();

    protected abstract B self();

    /** Sets {@code option} to {@code value}, or leaves it out when {@code value} is null. */
    protected final B set(String option, Object value) {
        if (value == null) {
            values.remove(option);
        } else {
            values.put(option, value.toString());
        }
        return self();
    }

    /** Gives the flag {@code option} (no value) when {@code on}, leaves it out otherwise (its default: off). */
    protected final B flag(String option, boolean on) {
        if (on) {
            values.put(option, null);
        } else {
            values.remove(option);
        }
        return self();
    }

    /** {@code value} in whole {@code unit}s, or as a decimal number (which the job rejects, naming the option). */
    protected static Object in(Duration value, ChronoUnit unit) {
        if (value == null) {
            return null;
        }
        BigDecimal units = BigDecimal.valueOf(value.toNanos()).divide(BigDecimal.valueOf(unit.getDuration().toNanos()),
                MathContext.DECIMAL64);
        return units.stripTrailingZeros().scale() <= 0 ? units.toBigInteger() : units;
    }

    public B bootstrapServers(String servers) {
        return set(JobOptionNames.BOOTSTRAP, servers);
    }

    /** The Kafka credentials file (the path, never the password); null for PLAINTEXT. */
    public B kafkaCredentials(Path file) {
        return set(JobOptionNames.KAFKA_CREDENTIALS, file == null ? null : file.toString());
    }

    public B topic(String topic) {
        return set(JobOptionNames.TOPIC, topic);
    }

    public B groupId(String groupId) {
        return set(JobOptionNames.GROUP_ID, groupId);
    }

    public B influxUrl(String url) {
        return set(JobOptionNames.INFLUX_URL, url);
    }

    /** The InfluxDB credentials file (user:password); its path goes on the command line, never the password. */
    public B influxCredentialsFile(Path file) {
        return set(JobOptionNames.INFLUX_CREDENTIALS_FILE, file.toAbsolutePath().toString());
    }

    public B influxDatabase(String database) {
        return set(JobOptionNames.INFLUX_DB, database);
    }

    public B outOfOrderness(Duration allowance) {
        return set(JobOptionNames.OUT_OF_ORDERNESS_MS, in(allowance, ChronoUnit.MILLIS));
    }

    /** Quiet after which a partition's tick is complete; {@link Duration#ZERO} for never (JobSettings#tickQuiet). */
    public B tickQuiet(Duration quiet) {
        return set(JobOptionNames.TICK_QUIET_MS, in(quiet, ChronoUnit.MILLIS));
    }

    /** Silence after which a partition is idle; {@link Duration#ZERO} for never. */
    public B idleness(Duration idleness) {
        return set(JobOptionNames.IDLENESS_MS, in(idleness, ChronoUnit.MILLIS));
    }

    public B bounded(boolean bounded) {
        return flag(JobOptionNames.BOUNDED, bounded);
    }

    /** The job's parallelism; {@code null} for the environment's default. */
    public B parallelism(Integer parallelism) {
        return set(JobOptionNames.PARALLELISM, parallelism);
    }

    /** Port of the local web UI; 0 for none. */
    public B webPort(int port) {
        return set(JobOptionNames.WEB_PORT, port);
    }

    /** Address the local web UI binds; {@code null} for the default, loopback. */
    public B webAddress(String address) {
        return set(JobOptionNames.WEB_ADDRESS, address);
    }

    public B checkpointInterval(Duration interval) {
        return set(JobOptionNames.CHECKPOINT_INTERVAL_MS, in(interval, ChronoUnit.MILLIS));
    }

    /** Directory for retained checkpoints, as a path or a URI ({@code file:///...}); {@code null} for none. */
    public B checkpointDir(String dirOrUri) {
        return set(JobOptionNames.CHECKPOINT_DIR, dirOrUri);
    }

    /** Directory for retained checkpoints; {@code null} for none. */
    public B checkpointDir(Path dir) {
        return set(JobOptionNames.CHECKPOINT_DIR, dir);
    }

    public B restoreLatest(boolean restoreLatest) {
        return flag(JobOptionNames.RESTORE_LATEST, restoreLatest);
    }

    /** Self-metrics reporting interval; {@link Duration#ZERO} turns the reporter off. */
    public B metricsInterval(Duration interval) {
        return set(JobOptionNames.METRICS_INTERVAL_MS, in(interval, ChronoUnit.MILLIS));
    }

    /** The arguments, in the order the options were first set: {@code --option value} or a lone flag. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        values.forEach((option, value) -> {
            args.add(option);
            if (value != null) {
                args.add(value);
            }
        });
        return List.copyOf(args);
    }

    @Override
    public String toString() {
        return String.join(" ", arguments());
    }
}
