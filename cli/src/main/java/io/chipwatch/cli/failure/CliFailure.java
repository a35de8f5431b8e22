package io.chipwatch.cli.failure;

import java.nio.file.Path;

/**
 * A verb's failure that it can explain: {@link FailureHandler} prints the message and the log that tells more (e.g.
 * {@code var/logs/influxdb.log} when the stack's InfluxDB is not running), instead of a stack trace.
 */
public final class CliFailure extends RuntimeException {
    private final transient Path log;

    /**
     * @param message what went wrong and what to do, one line
     * @param log     the log to read, or null
     * @param cause   the exception behind it (kept in the CLI's own log), or null
     */
    public CliFailure(String message, Path log, Throwable cause) {
        super(message, cause);
        this.log = log;
    }

    /** The log to read, or null. */
    public Path log() {
        return log;
    }
}
