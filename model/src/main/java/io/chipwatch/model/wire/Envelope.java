package io.chipwatch.model.wire;

/**
 * The Chipwatch two-byte record envelope shared by every codec: the marker byte {@link #MAGIC} followed by a schema
 * id. {@link #checkMarker} rejects what is not an envelope at all; each codec then judges the schema id itself.
 */
public final class Envelope {
    /** First byte of every Chipwatch record value. */
    public static final byte MAGIC = (byte) 0xC7;

    private Envelope() {
    }

    /**
     * Checks that {@code bytes} start with the marker and carry a schema id byte after it.
     *
     * @throws WireFormatException {@code EMPTY}, {@code BAD_MAGIC} or {@code MALFORMED_BODY} when they do not
     */
    public static void checkMarker(byte[] bytes) throws WireFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.EMPTY, "empty record");
        }
        if (bytes[0] != MAGIC) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC,
                    String.format("first byte 0x%02X is not the Chipwatch marker 0x%02X", bytes[0], MAGIC));
        }
        if (bytes.length < 2) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY, "record ends after the marker");
        }
    }
}
