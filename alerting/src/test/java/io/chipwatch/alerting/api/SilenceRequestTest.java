package io.chipwatch.alerting.api;

import com.fasterxml.jackson.databind.node.TextNode;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The silence body's checks: every mistake is a 400 naming the field, never another exception (a 500). */
class SilenceRequestTest {
    private static final long NOW = 1_764_000_000_000L;

    private static SilenceRequest request(String startsAt, String endsAt, String duration) {
        return new SilenceRequest(List.of(TextNode.valueOf("rack=\"p00-r01\"")), startsAt, endsAt, duration, "alice",
                null);
    }

    @Test
    void aValidRequestGivesItsTimesInEpochMillis() {
        SilenceRequest.Valid v = request("2025-11-24T16:00:00Z", null, "2h").validate(NOW);
        assertThat(v.startsAt()).isEqualTo(1_764_000_000_000L);
        assertThat(v.endsAt()).isEqualTo(1_764_000_000_000L + 7_200_000L);
        assertThat(v.matchers()).hasSize(1);
    }

    /** Found by ApiBodiesFuzzTest: Instant.toEpochMilli overflowed (ArithmeticException, a 500). */
    @Test
    void aTimeBeyondEpochMillisIsABadRequest() {
        assertThatThrownBy(() -> request(null, "+1000000000-01-01T00:00:00Z", null).validate(NOW))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("endsAt: \"+1000000000-01-01T00:00:00Z\" is out of range (epoch milliseconds overflow)");
        assertThatThrownBy(() -> request("-1000000000-01-01T00:00:00Z", null, "1h").validate(NOW))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("startsAt: ");
    }

    @Test
    void aDurationPastTheLongRangeIsABadRequest() {
        assertThatThrownBy(() -> request(null, null, "9223372036854775807s").validate(NOW))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("duration: \"9223372036854775807s\" is too long");
        assertThatThrownBy(() -> request(null, null, "15250w").validate(Long.MAX_VALUE - 1))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("duration: \"15250w\" is too long");
    }

    @Test
    void aBodyIsParsedAsTheHandlerReadsIt() {
        byte[] body = "{\"matchers\":[\"a=b\"],\"duration\":\"1h\",\"createdBy\":\"x\",\"colour\":1}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonBodies.parse(body, SilenceRequest.class, null))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("unknown field \"colour\"");
        assertThat(JsonBodies.parse(new byte[0], AckRequest.class, AckRequest.EMPTY)).isSameAs(AckRequest.EMPTY);
    }
}
