package io.chipwatch.alerting.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chipwatch.alerting.silence.InvalidSilenceException;
import io.chipwatch.alerting.silence.SilenceStore;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the alerting API's JSON bodies (docs/SECURITY.md "Fuzzing"), through the functions its
 * handlers call: {@code POST /api/silences} (read, validated, created in a {@link SilenceStore}) and {@code POST
 * /api/alerts/{fp}/ack}. A body either passes or fails as an {@link HttpError} 400 (or, for a silence the store
 * refuses, an {@link InvalidSilenceException}, which the handler answers with 400); nothing else escapes, so no body
 * can make the API answer 500.
 */
class ApiBodiesFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC);

    @FuzzTest
    void silenceAndAckBodies(byte[] body) {
        try {
            SilenceRequest.Valid req = JsonBodies.parse(body, SilenceRequest.class, null).validate(CLOCK.millis());
            new SilenceStore(CLOCK).create(req.matchers(), req.startsAt(), req.endsAt(), req.createdBy(),
                    req.comment());
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
        } catch (InvalidSilenceException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            assertThat(JsonBodies.parse(body, AckRequest.class, AckRequest.EMPTY)).isNotNull();
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(400);
        }
    }
}
