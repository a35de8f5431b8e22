package io.chipwatch.model.wire;

/**
 * Bytes that are not a valid chip sample. Carries a machine-readable {@link Reason} so that consumers can
 * count and route bad records (e.g. to a dead-letter topic) without parsing messages.
 */
public final class WireFormatException extends Exception {

    /** Why a record could not be decoded. */
    public enum Reason {
        /** No bytes at all (null or empty record value). */
        EMPTY,
        /** The first byte is not the Chipwatch envelope marker. */
        BAD_MAGIC,
        /** A schema version this build does not know. */
        UNKNOWN_VERSION,
        /** The body does not parse under the announced schema version. */
        MALFORMED_BODY,
        /** The body parsed but bytes were left over. */
        TRAILING_BYTES
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
