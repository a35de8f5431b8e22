package io.chipwatch.infra.kafka;

import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaCredentialFilesTest {

    @TempDir
    Path tmp;

    @Test
    void oneFilePerRolePlusTheBrokerMode600() throws Exception {
        KafkaCredentialFiles files = new KafkaCredentialFiles(tmp.resolve("chipwatch")).createMissing();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("chipwatch"))))
                .isEqualTo("rwx------");
        Set<String> jaas = new HashSet<>();
        for (KafkaRole role : KafkaRole.values()) {
            Path file = files.file(role);
            assertThat(file.getFileName()).hasToString("kafka-" + role.username() + ".properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(KafkaClientSecurity.username(file)).isEqualTo(role.username());
            assertThat(KafkaClientSecurity.settings(file)).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            jaas.add(KafkaClientSecurity.settings(file).get("sasl.jaas.config"));
        }
        assertThat(jaas).hasSize(KafkaRole.values().length);
        assertThat(KafkaClientSecurity.settings(files.brokerFile())).containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void existingFilesAreKeptAndAMissingOneIsRegenerated() throws Exception {
        KafkaCredentialFiles files = new KafkaCredentialFiles(tmp).createMissing();
        String collector = Files.readString(files.file(KafkaRole.COLLECTOR));
        String detection = Files.readString(files.file(KafkaRole.DETECTION));
        Files.delete(files.file(KafkaRole.DETECTION));
        files.createMissing();
        assertThat(Files.readString(files.file(KafkaRole.COLLECTOR))).isEqualTo(collector);
        assertThat(Files.readString(files.file(KafkaRole.DETECTION))).isNotEqualTo(detection);
    }

    @Test
    void theBrokersSecurityCarriesEveryPasswordButNeverPrintsOne() {
        KafkaCredentialFiles files = new KafkaCredentialFiles(tmp).createMissing();
        LocalKafkaSecurity security = files.brokerSecurity(KafkaAuthIT.NAMES);
        assertThat(security.passwords()).containsOnlyKeys(KafkaRole.values());
        assertThat(security.toString()).doesNotContain(security.brokerPassword())
                .doesNotContain(security.passwords().get(KafkaRole.COLLECTOR));
        assertThat(security.brokerClientSettings()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
    }
}
