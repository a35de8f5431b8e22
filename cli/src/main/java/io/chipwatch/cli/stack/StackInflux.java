package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.InfluxDbUsers;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.jobs.aggregation.AggregationJobArguments;
import io.chipwatch.jobs.sink.influx.InfluxDbJavaClient;
import io.chipwatch.model.influx.InfluxCredentials;

import java.nio.file.Path;
import java.util.Optional;

import static io.chipwatch.cli.stack.LocalStack.DATABASE;

/**
 * The local stack's InfluxDB with authentication, and the secrets its clients are handed as files. {@code up}
 * starts influxd with {@code auth-enabled}, then bootstraps as the admin ({@link InfluxDbUsers}): the database, the
 * writer and reader users and their grants, and the aggregation job's retention policies. The jobs and alerting run
 * as the writer, which may not create or alter retention policies (it only checks they are there); the CLI and
 * Grafana read as the reader. Credentials live in {@link SecretFile#configDir()}; processes get the files' paths.
 */
final class StackInflux {
    private StackInflux() {
    }

    static Optional<Started> start(Launch launch) {
        LocalInfluxDb influx = LocalInfluxDb.builder().rpcPort(launch.port("rpc"))
                .authEnabled(true)
                .dataDir(launch.data())
                .port(launch.port("http"))
                .logFile(launch.log())
                .detached(true)
                .build()
                .start();
        InfluxCredentials admin = InfluxDbUsers.bootstrap(influx.url(), DATABASE, files());
        try (InfluxDbJavaClient client = new InfluxDbJavaClient(influx.url(), Optional.of(admin))) {
            client.ensureRetentionPolicies(DATABASE, new AggregationJobArguments().bootstrapServers("unused:1")
                    .influxUrl(influx.url()).build().retentionPolicies());
        }
        return Optional.of(Started.pid(influx.pid()));
    }

    /** The three credential files, in {@link SecretFile#configDir()}. */
    static InfluxDbUsers.Files files() {
        return InfluxDbUsers.Files.in(SecretFile.configDir());
    }

    /** The jobs' and alerting's user (read and write on the database). */
    static Path writerFile() {
        return files().writer();
    }
}
