package io.chipwatch.alerting.api;

/** An HTTP error with a reason for the client (sent as {@code {"error": ..., "status": ...}}). */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
