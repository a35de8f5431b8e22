package io.chipwatch.infra.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets generated once, private to their owner, and the same for every process that starts at once. */
class SecretFileTest {

    @Test
    void theSecretIsGeneratedOnceWithMode600InAFolderWithMode700(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/chipwatch/alerting-token");
        String token = SecretFile.loadOrCreate(file);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(SecretFile.loadOrCreate(file)).isEqualTo(token);
        assertThat(SecretFile.read(file)).isEqualTo(token);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretFile.loadOrCreate(file)).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve("conf/chipwatch")).isDirectoryNotContaining("glob:**.tmp");
        Files.writeString(file, "short");
        assertThatThrownBy(() -> SecretFile.loadOrCreate(file)).hasMessageContaining("no usable secret")
                .hasMessageNotContaining("short");
        assertThat(SecretFile.generate()).isNotEqualTo(SecretFile.generate());
    }

    @Test
    void aClientReadsTheSecretButNeverCreatesIt(@TempDir Path dir) {
        Path file = dir.resolve("collector-token");
        assertThatThrownBy(() -> SecretFile.read(file)).hasMessageContaining("no secret file " + file);
        assertThat(file).doesNotExist();
    }

    @Test
    void processesStartingAtOnceShareOneSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("collector-token");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> SecretFile.loadOrCreate(file)));
            }
            String first = answers.get(0).get();
            for (Future<String> a : answers) {
                assertThat(a.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everySecretLivesInTheOneConfigFolder() {
        assertThat(SecretFile.defaultPath(SecretFile.COLLECTOR_TOKEN).getParent()).isEqualTo(SecretFile.configDir());
        assertThat(SecretFile.defaultPath(SecretFile.ALERTING_TOKEN).getFileName()).hasToString("alerting-token");
        assertThat(SecretFile.configDir().getFileName()).hasToString("chipwatch");
    }
}
