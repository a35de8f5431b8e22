package io.chipwatch.alerting.engine;

/**
 * The engine thread did not answer in time (it is overloaded or stuck): the request was not served and may be
 * retried later. An HTTP layer answers it with 503. It extends {@link IllegalStateException} so that callers that
 * only know the JDK exceptions keep treating it as before.
 */
public final class EngineBusyException extends IllegalStateException {
    public EngineBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
