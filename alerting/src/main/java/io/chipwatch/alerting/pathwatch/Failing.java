package io.chipwatch.alerting.pathwatch;

/**
 * How long attempts to reach something have failed in a row: the first failure's time, cleared by a success.
 * Not thread-safe (one probe's state).
 */
final class Failing {
    private long since = -1;
    private String lastError = "";

    void success() {
        since = -1;
        lastError = "";
    }

    void failure(long nowMillis, String error) {
        if (since < 0) {
            since = nowMillis;
        }
        lastError = error;
    }

    /** Milliseconds failing at {@code nowMillis}; 0 when the last attempt succeeded. */
    long failingMillis(long nowMillis) {
        return since < 0 ? 0 : nowMillis - since;
    }

    long since() {
        return since;
    }

    String lastError() {
        return lastError;
    }
}
