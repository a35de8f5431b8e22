package io.chipwatch.collector.control;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.infra.http.HttpError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the collector's {@code POST /faults} body (docs/SECURITY.md "Fuzzing"): {@link
 * FaultRequestReader#read} either returns a request with a type, a target and a duration of 0 (until cleared) or
 * more, or fails as an {@link HttpError} 400 naming the field; nothing else escapes, so no body answers 500.
 */
class FaultRequestFuzzTest {
    @FuzzTest
    void read(byte[] body) {
        FaultRequest request;
        try {
            request = FaultRequestReader.read(body);
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(request.type()).isNotNull();
        assertThat(request.target()).isNotBlank();
        assertThat(request.durationMillis()).isNotNegative();
    }
}
