package io.chipwatch.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvelopeTest {
    @Test
    void acceptsMarkerAndSchemaId() {
        assertThatCode(() -> Envelope.checkMarker(new byte[]{Envelope.MAGIC, 0x7F})).doesNotThrowAnyException();
    }

    @Test
    void rejectsEmptyForeignAndTruncatedRecords() {
        assertReason(null, WireFormatException.Reason.EMPTY, "empty record");
        assertReason(new byte[0], WireFormatException.Reason.EMPTY, "empty record");
        assertReason(new byte[]{0x7B, 1}, WireFormatException.Reason.BAD_MAGIC,
                "first byte 0x7B is not the Chipwatch marker 0xC7");
        assertReason(new byte[]{Envelope.MAGIC}, WireFormatException.Reason.MALFORMED_BODY,
                "record ends after the marker");
    }

    private static void assertReason(byte[] bytes, WireFormatException.Reason reason, String message) {
        assertThatThrownBy(() -> Envelope.checkMarker(bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
