package io.chipwatch.alerting.insight;

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
 * The history check's InfluxDB client against an influxd with auth, set up as the local stack does: as the writer
 * (alerting's user) it reads the anomaly history and writes lost chip-hours; as the reader (the CLI's) it reads but
 * cannot write; without credentials it can do neither.
 */
class InfluxInsightsAuthIT {
    private static final String DB = "telemetry";

    @TempDir
    static Path tmp;

    private static LocalInfluxDb influx;
    private static InfluxDbUsers.Files files;

    @BeforeAll
    static void start() {
        influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).authEnabled(true).build().start();
        files = InfluxDbUsers.Files.in(tmp.resolve("secrets"));
        InfluxDbUsers.bootstrap(influx.url(), DB, files);
        long t = System.currentTimeMillis() - 60_000;
        assertThat(InfluxDbUsers.write(influx.url(), Optional.of(InfluxCredentials.read(files.writer())), DB,
                "anomaly,type=straggler,scope=chip,entity=c0,node=n0,chip=c0 id=\"a1\",state=\"open\",value=0.5 " + t)
                .status()).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.stop();
        }
    }

    private static InfluxInsights as(Optional<InfluxCredentials> who) {
        return new InfluxInsights(influx.url(), DB, who, Duration.ofSeconds(10));
    }

    @Test
    void theWriterReadsHistoryAndWritesLosses() {
        long now = System.currentTimeMillis();
        try (InfluxInsights writer = as(Optional.of(InfluxCredentials.read(files.writer())))) {
            assertThat(writer.anomalies(now - 3_600_000, now, List.of())).extracting(AnomalyEvent::id).containsExactly("a1");
            writer.write(List.of(new StragglerCost.Loss("j1", "n0", "c0", "straggler", 0.25, 16, 1.0)), now - 900_000);
        }
        assertThat(InfluxDbUsers.query(influx.url(), Optional.of(InfluxCredentials.read(files.reader())),
                "SELECT chip_hours FROM \"telemetry\"..\"capacity_loss\" WHERE \"job\" = 'j1'").body())
                .contains("\"name\":\"capacity_loss\"").endsWith(",1]]}]}]}\n");
    }

    @Test
    void theReaderReadsButCannotWriteAndNobodyElseDoesEither() {
        long now = System.currentTimeMillis();
        try (InfluxInsights reader = as(Optional.of(InfluxCredentials.read(files.reader())));
             InfluxInsights anonymous = as(Optional.empty())) {
            assertThat(reader.anomalies(now - 3_600_000, now, List.of())).isNotEmpty();
            List<StragglerCost.Loss> loss = List.of(new StragglerCost.Loss("j2", "n0", "c0", "straggler", 0.25, 16, 1.0));
            assertThatThrownBy(() -> reader.write(loss, now)).hasMessageContaining("not authorized");
            assertThatThrownBy(() -> anonymous.anomalies(now - 3_600_000, now, List.of()))
                    .hasMessageContaining("authentication");
        }
    }
}
