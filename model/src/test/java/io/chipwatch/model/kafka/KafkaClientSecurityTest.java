package io.chipwatch.model.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientSecurityTest {

    @TempDir
    Path tmp;

    @Test
    void noFileMeansPlaintext() {
        assertThat(KafkaClientSecurity.settings(null)).isEmpty();
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:9092");
        assertThat(KafkaClientSecurity.apply(p, null)).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void aRenderedFileBecomesScramSettings() throws Exception {
        Path file = Files.writeString(tmp.resolve("kafka-collector.properties"),
                KafkaClientSecurity.render("collector", "s3cret_Pass-word.0123", KafkaClientSecurity.SCRAM));
        assertThat(KafkaClientSecurity.settings(file))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"collector\" password=\"s3cret_Pass-word.0123\";");
        assertThat(KafkaClientSecurity.username(file)).isEqualTo("collector");
    }

    @Test
    void plainForTheBrokersOwnPrincipal() throws Exception {
        Path file = Files.writeString(tmp.resolve("kafka-broker.properties"),
                KafkaClientSecurity.render("broker", "abcdefghijklmnop", KafkaClientSecurity.PLAIN));
        assertThat(KafkaClientSecurity.settings(file)).containsEntry("sasl.mechanism", "PLAIN")
                .hasEntrySatisfying("sasl.jaas.config",
                        v -> assertThat(v).startsWith("org.apache.kafka.common.security.plain.PlainLoginModule"));
    }

    @Test
    void errorsNameTheFileButNeverThePassword() throws Exception {
        Path missing = tmp.resolve("absent.properties");
        assertThatThrownBy(() -> KafkaClientSecurity.settings(missing)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString());
        Path noPassword = Files.writeString(tmp.resolve("np.properties"), "username=collector\n");
        assertThatThrownBy(() -> KafkaClientSecurity.settings(noPassword)).hasMessageContaining("has no password");
        Path quoted = Files.writeString(tmp.resolve("q.properties"), "username=collector\npassword=a\"b;c\n");
        assertThatThrownBy(() -> KafkaClientSecurity.settings(quoted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("a\"b;c");
        assertThatThrownBy(() -> KafkaClientSecurity.render("x", "y", "GSSAPI"))
                .hasMessageContaining("unsupported SASL mechanism GSSAPI");
    }
}
