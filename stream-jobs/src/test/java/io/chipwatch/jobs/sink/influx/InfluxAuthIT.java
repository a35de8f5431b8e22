package io.chipwatch.jobs.sink.influx;

import io.chipwatch.infra.InfluxDbUsers;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.model.influx.InfluxCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink's client against an influxd with auth, set up as the local stack does (the admin created the database,
 * users and retention policies): the writer opens (its create and ensure steps find everything in place and run no
 * admin statement) and writes; the reader and an anonymous client cannot write.
 */
class InfluxAuthIT {
    private static final String DB = "telemetry";
    private static final List<RetentionPolicySpec> POLICIES = List.of(
            new RetentionPolicySpec("raw_7d", Duration.ofDays(7), true),
            new RetentionPolicySpec("capacity_90d", Duration.ofDays(90), false));

    @TempDir
    static Path tmp;

    private static LocalInfluxDb influx;
    private static InfluxDbUsers.Files files;

    @BeforeAll
    static void start() {
        influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).authEnabled(true).build().start();
        files = InfluxDbUsers.Files.in(tmp.resolve("secrets"));
        InfluxCredentials admin = InfluxDbUsers.bootstrap(influx.url(), DB, files);
        try (InfluxDbJavaClient client = new InfluxDbJavaClient(influx.url(), Optional.of(admin))) {
            client.ensureRetentionPolicies(DB, POLICIES);
        }
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.stop();
        }
    }

    @Test
    void theWriterOpensAsTheSinkDoesAndWrites() {
        InfluxClient writer = InfluxDbJavaClient.factory(files.writer().toString()).connect(influx.url());
        try (writer) {
            writer.createDatabase(DB);
            writer.ensureRetentionPolicies(DB, POLICIES);
            writer.write(DB, "capacity_90d", "chip_1m,chip=c0 util_mean=0.5 " + System.currentTimeMillis() + "\n");
        }
        String answer = InfluxDbUsers.query(influx.url(), Optional.of(InfluxCredentials.read(files.reader())),
                "SELECT util_mean FROM \"telemetry\".\"capacity_90d\".\"chip_1m\"").body();
        assertThat(answer).contains("0.5");
    }

    @Test
    void theWriterCannotChangeRetentionPolicies() {
        try (InfluxClient writer = InfluxDbJavaClient.factory(files.writer().toString()).connect(influx.url())) {
            assertThatThrownBy(() -> writer.ensureRetentionPolicies(DB,
                    List.of(new RetentionPolicySpec("raw_7d", Duration.ofDays(1), true))))
                    .hasMessageContaining("ALTER RETENTION POLICY");
        }
    }

    @Test
    void theReaderAndAnonymousCannotWrite() {
        try (InfluxClient reader = InfluxDbJavaClient.factory(files.reader().toString()).connect(influx.url());
             InfluxClient anonymous = new InfluxDbJavaClient(influx.url())) {
            assertThatThrownBy(() -> reader.write(DB, null, "chip,chip=c1 util_mean=1.0 1000\n"))
                    .hasMessageContaining("not authorized");
            assertThatThrownBy(() -> anonymous.write(DB, null, "chip,chip=c1 util_mean=1.0 1000\n"))
                    .hasMessageContaining("authentication");
        }
    }
}
