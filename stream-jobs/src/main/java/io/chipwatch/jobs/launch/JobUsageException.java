package io.chipwatch.jobs.launch;

/** Arguments a job cannot run with; the message names the option and the fix. */
public final class JobUsageException extends IllegalArgumentException {
    public JobUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
