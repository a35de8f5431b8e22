package io.chipwatch.model.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfluxCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void readsUserAndPasswordFromTheFirstLine() throws IOException {
        Path file = Files.writeString(dir.resolve("creds"), "chipwatch-writer:s3cr:et-Value\n");
        assertThat(InfluxCredentials.read(file)).isEqualTo(new InfluxCredentials("chipwatch-writer", "s3cr:et-Value"));
    }

    @Test
    void aMalformedFileIsNamedButItsContentNeverShown() throws IOException {
        Path file = Files.writeString(dir.resolve("creds"), "no-colon-secret-value\n");
        assertThatThrownBy(() -> InfluxCredentials.read(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("no-colon-secret-value");
        assertThatThrownBy(() -> InfluxCredentials.read(dir.resolve("missing")))
                .hasMessageContaining("missing");
    }

    @Test
    void toStringRedactsThePassword() {
        assertThat(new InfluxCredentials("reader", "hunter2hunter2").toString())
                .contains("reader").doesNotContain("hunter2");
    }

    @Test
    void anOptionsFileWinsOverTheEnvironment() throws IOException {
        Path option = Files.writeString(dir.resolve("option"), "a:option-password");
        Path envFile = Files.writeString(dir.resolve("env"), "b:env-file-password");
        Map<String, String> env = Map.of(InfluxCredentials.ENV_FILE, envFile.toString(),
                InfluxCredentials.ENV_USER, "c", InfluxCredentials.ENV_PASSWORD, "env-password");
        assertThat(InfluxCredentials.resolve(Optional.of(option), env)).contains(new InfluxCredentials("a", "option-password"));
        assertThat(InfluxCredentials.resolve(Optional.empty(), env)).contains(new InfluxCredentials("b", "env-file-password"));
        assertThat(InfluxCredentials.resolve(Optional.empty(), Map.of(InfluxCredentials.ENV_USER, "c",
                InfluxCredentials.ENV_PASSWORD, "env-password"))).contains(new InfluxCredentials("c", "env-password"));
    }

    @Test
    void nothingConfiguredIsNoCredentialsAndHalfConfiguredIsAnError() {
        assertThat(InfluxCredentials.resolve(Optional.empty(), Map.of())).isEmpty();
        assertThat(InfluxCredentials.resolve(Optional.empty(), Map.of(InfluxCredentials.ENV_USER, " ",
                InfluxCredentials.ENV_PASSWORD, ""))).isEmpty();
        assertThatThrownBy(() -> InfluxCredentials.resolve(Optional.empty(), Map.of(InfluxCredentials.ENV_USER, "u")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(InfluxCredentials.ENV_PASSWORD);
        assertThatThrownBy(() -> InfluxCredentials.resolve(Optional.empty(),
                Map.of(InfluxCredentials.ENV_PASSWORD, "lonely-password")))
                .hasMessageNotContaining("lonely-password").hasMessageContaining(InfluxCredentials.ENV_USER);
    }
}
