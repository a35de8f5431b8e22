package io.chipwatch.infra;

/**
 * A real component could not be found, configured, started or stopped. The message says what to do about it
 * (and, for a process that failed to start, carries the tail of its log), so callers can show it as it is.
 */
public class InfraException extends RuntimeException {

    public InfraException(String message) {
        super(message);
    }

    public InfraException(String message, Throwable cause) {
        super(message, cause);
    }
}
