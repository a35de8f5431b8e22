package io.chipwatch.model.influx;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The user and password an InfluxDB 1.x client authenticates with, and the one way every client (the jobs' sink
 * and metric reporter, alerting, the CLI, dashboards provisioning) finds them: a <b>credentials file</b> holding
 * one line {@code user:password} (mode 600, written by {@code ./telemetry up} under {@code ~/.config/chipwatch/}),
 * or the environment. The password is never in {@link #toString()}, in an exception message or on a command line:
 * a process is given the file's path, or the variables.
 *
 * <p>Where they come from, first found wins ({@link #resolve}): the file an option names; the file
 * {@value #ENV_FILE} names (a Docker secret, e.g. {@code /run/secrets/influx-writer}); {@value #ENV_USER} with
 * {@value #ENV_PASSWORD}; none: the client sends no credentials, as against an InfluxDB without auth (tests).
 *
 * @param user     InfluxDB user name
 * @param password its password
 */
public record InfluxCredentials(String user, String password) implements Serializable {
    /** A file of {@code user:password}, e.g. a Docker secret. */
    public static final String ENV_FILE = "CHIPWATCH_INFLUX_CREDENTIALS_FILE";
    /** The user name, with {@link #ENV_PASSWORD}. */
    public static final String ENV_USER = "CHIPWATCH_INFLUX_USER";
    /** The password, with {@link #ENV_USER}. */
    public static final String ENV_PASSWORD = "CHIPWATCH_INFLUX_PASSWORD";

    private static final long serialVersionUID = 1L;

    public InfluxCredentials {
        if (user == null || user.isBlank() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an InfluxDB user name is non-empty, without ':' or spaces");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("InfluxDB user " + user + " has an empty password");
        }
    }

    /** The file's line: {@code user:password}. */
    public String line() {
        return user + ":" + password;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "InfluxCredentials[user=" + user + ", password=(redacted)]";
    }

    /**
     * Reads a credentials file: its first line is {@code user:password}.
     *
     * @throws IllegalStateException naming the file (never its content) when it is missing or malformed
     */
    public static InfluxCredentials read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the InfluxDB credentials file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
        String line = text.lines().findFirst().orElse("").strip();
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            throw new IllegalStateException("the InfluxDB credentials file " + file
                    + " does not hold one line user:password");
        }
        try {
            return new InfluxCredentials(line.substring(0, colon), line.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the InfluxDB credentials file " + file + " is malformed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The credentials a client uses: the file an option named, else the environment's ({@value #ENV_FILE}, else
     * {@value #ENV_USER} and {@value #ENV_PASSWORD}), else none.
     *
     * @param file the file an option named, if any
     * @param env  the environment ({@code System.getenv()})
     * @throws IllegalStateException when a named file is unusable, or only one of user and password is set
     */
    public static Optional<InfluxCredentials> resolve(Optional<Path> file, Map<String, String> env) {
        if (file.isPresent()) {
            return Optional.of(read(file.get()));
        }
        String envFile = blankToNull(env.get(ENV_FILE));
        if (envFile != null) {
            return Optional.of(read(Path.of(envFile)));
        }
        String user = blankToNull(env.get(ENV_USER));
        String password = env.get(ENV_PASSWORD);
        boolean hasPassword = password != null && !password.isEmpty();
        if (user == null && !hasPassword) {
            return Optional.empty();
        }
        if (user == null || !hasPassword) {
            throw new IllegalStateException("set both " + ENV_USER + " and " + ENV_PASSWORD + " (or "
                    + ENV_FILE + "), or neither");
        }
        return Optional.of(new InfluxCredentials(user.strip(), password));
    }

    /** {@link #resolve} with this process's environment. */
    public static Optional<InfluxCredentials> resolve(Optional<Path> file) {
        return resolve(file, System.getenv());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
