package io.chipwatch.infra;

import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real influxd with {@code auth-enabled}, bootstrapped as the local stack does: who may do what (issue #16: a
 * cross-site form POST must not be able to DROP DATABASE).
 */
class InfluxDbAuthIT {
    private static final String DB = "telemetry";

    @TempDir
    static Path tmp;

    private static LocalInfluxDb influx;
    private static InfluxDbUsers.Files files;
    private static InfluxCredentials admin;

    @BeforeAll
    static void start() {
        influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).authEnabled(true).build().start();
        files = InfluxDbUsers.Files.in(tmp.resolve("secrets"));
        admin = InfluxDbUsers.bootstrap(influx.url(), DB, files);
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.stop();
        }
    }

    private static Optional<InfluxCredentials> as(Path file) {
        return Optional.of(InfluxCredentials.read(file));
    }

    @Test
    void credentialFilesAreOwnerOnlyAndHoldUserColonPassword() throws Exception {
        for (Path file : new Path[]{files.admin(), files.writer(), files.reader()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(InfluxCredentials.read(files.writer()).user()).isEqualTo(InfluxDbUsers.WRITER_USER);
        assertThat(InfluxCredentials.read(files.reader()).user()).isEqualTo(InfluxDbUsers.READER_USER);
        assertThat(admin.user()).isEqualTo(InfluxDbUsers.ADMIN_USER);
    }

    @Test
    void anonymousQueriesAndWritesAreRefused() {
        assertThat(InfluxDbUsers.query(influx.url(), Optional.empty(), "SHOW DATABASES").status()).isEqualTo(401);
        assertThat(InfluxDbUsers.query(influx.url(), Optional.empty(), "DROP DATABASE \"telemetry\"").status())
                .isEqualTo(401);
        assertThat(InfluxDbUsers.write(influx.url(), Optional.empty(), DB, "chip,chip=c0 util_mean=1.0 1000").status())
                .isEqualTo(401);
        assertThat(databaseExists()).isTrue();
    }

    @Test
    void aWrongPasswordIsRefused() {
        Optional<InfluxCredentials> wrong = Optional.of(new InfluxCredentials(InfluxDbUsers.WRITER_USER, "not-it-at-all"));
        assertThat(InfluxDbUsers.write(influx.url(), wrong, DB, "chip,chip=c0 util_mean=1.0 1000").status())
                .isEqualTo(401);
    }

    @Test
    void theReaderReadsButCannotWriteOrDrop() {
        assertThat(InfluxDbUsers.query(influx.url(), as(files.reader()), "SELECT * FROM \"" + DB + "\"..\"chip\"").ok())
                .isTrue();
        InfluxDbUsers.Answer write = InfluxDbUsers.write(influx.url(), as(files.reader()), DB,
                "chip,chip=c1 util_mean=2.0 2000");
        assertThat(write.status()).isEqualTo(403);
        assertThat(InfluxDbUsers.query(influx.url(), as(files.reader()), "DROP DATABASE \"telemetry\"").ok()).isFalse();
        assertThat(InfluxDbUsers.query(influx.url(), as(files.reader()), "DROP MEASUREMENT \"chip\"").ok()).isFalse();
        assertThat(databaseExists()).isTrue();
    }

    @Test
    void theWriterWritesAndReadsButCannotDropOrCreateUsers() {
        assertThat(InfluxDbUsers.write(influx.url(), as(files.writer()), DB, "chip,chip=c2 util_mean=3.5 3000").status())
                .isEqualTo(204);
        InfluxDbUsers.Answer read = InfluxDbUsers.query(influx.url(), as(files.writer()),
                "SELECT util_mean FROM \"" + DB + "\"..\"chip\" WHERE chip = 'c2'");
        assertThat(read.ok()).isTrue();
        assertThat(read.body()).contains("3.5");
        assertThat(InfluxDbUsers.query(influx.url(), as(files.writer()), "DROP DATABASE \"telemetry\"").ok()).isFalse();
        assertThat(InfluxDbUsers.query(influx.url(), as(files.writer()),
                "CREATE USER \"mallory\" WITH PASSWORD 'mallory-password' WITH ALL PRIVILEGES").ok()).isFalse();
        assertThat(databaseExists()).isTrue();
    }

    @Test
    void bootstrapAgainIsIdempotentAndRotatesADeletedUsersPassword() throws Exception {
        InfluxCredentials oldReader = InfluxCredentials.read(files.reader());
        Files.delete(files.reader());
        assertThat(InfluxDbUsers.bootstrap(influx.url(), DB, files)).isEqualTo(admin);
        InfluxCredentials newReader = InfluxCredentials.read(files.reader());
        assertThat(newReader.password()).isNotEqualTo(oldReader.password());
        assertThat(InfluxDbUsers.query(influx.url(), Optional.of(oldReader), "SHOW MEASUREMENTS ON \"telemetry\"")
                .status()).isEqualTo(401);
        assertThat(InfluxDbUsers.query(influx.url(), Optional.of(newReader), "SHOW MEASUREMENTS ON \"telemetry\"")
                .ok()).isTrue();
    }

    @Test
    void aLostAdminFileIsExplainedWithoutThePassword() {
        InfluxDbUsers.Files other = InfluxDbUsers.Files.in(tmp.resolve("other-secrets"));
        assertThatThrownBy(() -> InfluxDbUsers.bootstrap(influx.url(), DB, other))
                .isInstanceOf(InfraException.class)
                .hasMessageContaining(other.admin().toString())
                .hasMessageNotContaining(InfluxCredentials.read(other.admin()).password());
    }

    private static boolean databaseExists() {
        return InfluxDbUsers.query(influx.url(), Optional.of(admin), "SHOW DATABASES").body().contains("\"" + DB + "\"");
    }
}
