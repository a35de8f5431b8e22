package io.chipwatch.alerting.api;

/** Body of {@code POST /api/alerts/{fingerprint}/ack} (optional: an empty body acknowledges as "unknown"). */
public record AckRequest(String by, String comment) {
    static final AckRequest EMPTY = new AckRequest(null, null);
}
