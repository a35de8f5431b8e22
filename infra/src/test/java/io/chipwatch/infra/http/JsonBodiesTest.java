package io.chipwatch.infra.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JsonBodies#parse}: a body is its record, or a 400 saying why not; never another exception (a 500). */
class JsonBodiesTest {
    /** A request body record. */
    record Ack(String by, String comment) {
    }

    private static final Ack EMPTY = new Ack(null, null);

    @Test
    void aBodyIsItsRecordAndABlankBodyTheDefault() {
        assertThat(JsonBodies.parse("{\"by\":\"alice\"}".getBytes(StandardCharsets.UTF_8), Ack.class, EMPTY))
                .isEqualTo(new Ack("alice", null));
        assertThat(JsonBodies.parse(" \n".getBytes(StandardCharsets.UTF_8), Ack.class, EMPTY)).isSameAs(EMPTY);
        assertBadRequest(new byte[0], null, "a JSON body is required");
        assertBadRequest("null".getBytes(StandardCharsets.UTF_8), EMPTY, "a JSON object is required");
        assertBadRequest("{\"by\":1,\"colour\":2}".getBytes(StandardCharsets.UTF_8), EMPTY,
                "unknown field \"colour\"; known: by, comment");
    }

    /**
     * Found by ApiBodiesFuzzTest: Jackson reads a body starting with 00 00 00 xx as UTF-32, and a character above
     * U+10FFFF threw CharConversionException, an IOException that escaped as UncheckedIOException (a 500).
     */
    @Test
    void aBodyJacksonTakesForBadUtf32IsABadRequest() {
        byte[] body = {1, 0, 0, 0, 0, 0, 0, 0, 'r', 's', '"', ':', '[', '"', ':', '"', 'x', '"', '}'};
        assertBadRequest(body, EMPTY, "body is not valid JSON for this call: Invalid UTF-32 character");
    }

    private static void assertBadRequest(byte[] body, Ack whenEmpty, String message) {
        assertThatThrownBy(() -> JsonBodies.parse(body, Ack.class, whenEmpty))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith(message);
    }
}
