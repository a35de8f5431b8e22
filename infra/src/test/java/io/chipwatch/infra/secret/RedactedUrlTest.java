package io.chipwatch.infra.secret;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedUrlTest {
    @Test
    void keepsSchemeHostAndPortOnly() {
        assertThat(RedactedUrl.of(URI.create("https://hooks.example.com/services/T0/B0/XXXX?token=y#f")))
                .isEqualTo("https://hooks.example.com/…");
        assertThat(RedactedUrl.of("http://user:pw@127.0.0.1:9999/hook")).isEqualTo("http://127.0.0.1:9999/…");
        assertThat(RedactedUrl.of("http://127.0.0.1:9093")).isEqualTo("http://127.0.0.1:9093");
        assertThat(RedactedUrl.of("http://127.0.0.1:9093/")).isEqualTo("http://127.0.0.1:9093");
        assertThat(RedactedUrl.of("http://h/?secret=1")).isEqualTo("http://h/…");
    }

    @Test
    void somethingThatIsNotAUrlIsNotShown() {
        assertThat(RedactedUrl.of("not a url with secret-token")).doesNotContain("secret");
        assertThat(RedactedUrl.of(URI.create("mailto:secret@example.com"))).doesNotContain("secret");
    }
}
