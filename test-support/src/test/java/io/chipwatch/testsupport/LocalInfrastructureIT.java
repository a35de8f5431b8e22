package io.chipwatch.testsupport;

import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.ManagedProcess;
import io.chipwatch.infra.ProcessControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.chipwatch.testsupport.RealClients.consume;
import static io.chipwatch.testsupport.RealClients.produce;
import static io.chipwatch.testsupport.RealClients.query;
import static io.chipwatch.testsupport.RealClients.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * infra's real broker and influxd as attached processes, without {@link TestInfrastructure} in between: they serve,
 * survive a restart with their data on the same ports, and die. (Here rather than in infra, to share the clients
 * of {@link RealInfrastructureExtensionIT}.)
 */
class LocalInfrastructureIT {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfrastructureIT.class);

    @TempDir
    Path tmp;

    @Test
    void kafkaServesKeepsRecordsOverARestartAndStops() throws Exception {
        long lastPid;
        try (LocalKafka kafka = LocalKafka.builder().dataDir(tmp.resolve("kafka")).build()) {
            startLogged(kafka, "first start (with format)");
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            kafka.createTopics(Map.of("it-samples", 2));
            kafka.createTopic("it-samples", 2); // exists: no error

            produce(kafka.bootstrapServers(), "it-samples", "before");
            assertThat(consume(kafka.bootstrapServers(), "it-samples", 1)).containsExactly("before");

            int port = kafka.port();
            long firstPid = kafka.pid();
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessControl.isAlive(firstPid)).isFalse();

            long t0 = System.nanoTime();
            kafka.start();
            LOG.info("restart took {} ms", (System.nanoTime() - t0) / 1_000_000);
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.pid()).isNotEqualTo(firstPid);
            produce(kafka.bootstrapServers(), "it-samples", "after");
            assertThat(consume(kafka.bootstrapServers(), "it-samples", 2)).containsExactlyInAnyOrder("before", "after");
            LOG.info("broker RSS after a few records: {} MB", rssMb(kafka.pid()));
            lastPid = kafka.pid();
        }
        assertThat(ProcessControl.isAlive(lastPid)).isFalse();
        assertThat(tmp.resolve("kafka/kafka.log")).isNotEmptyFile();
    }

    @Test
    void influxServesKeepsPointsOverARestartAndStops() throws Exception {
        long lastPid;
        try (LocalInfluxDb influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).build()) {
            startLogged(influx, "influxd start");
            assertThat(influx.url()).isEqualTo("http://127.0.0.1:" + influx.port());
            influx.createDatabase("it");
            influx.createDatabase("it"); // exists: no error

            write(influx.url(), "it", "chip,chip=c1 temp=1.5 1000");
            assertThat(count(influx.url())).isEqualTo(1);

            String url = influx.url();
            long firstPid = influx.pid();
            influx.stop();
            assertThat(ProcessControl.isAlive(firstPid)).isFalse();
            assertThat(LocalInfluxDb.ping(url)).isFalse();

            influx.start();
            assertThat(influx.url()).isEqualTo(url);
            assertThat(count(url)).isEqualTo(1);
            write(url, "it", "chip,chip=c1 temp=2.5 2000");
            assertThat(count(url)).isEqualTo(2);
            lastPid = influx.pid();
        }
        assertThat(ProcessControl.isAlive(lastPid)).isFalse();
    }

    /** The number of points in {@code chip} of database {@code it}. */
    private static long count(String url) throws Exception {
        String json = query(url, "it", "SELECT count(temp) FROM chip");
        Matcher m = Pattern.compile("\"values\":\\[\\[[^,]+,(\\d+)]]").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Starts {@code server} and logs how long that took and its resident memory. */
    private static void startLogged(ManagedProcess<?> server, String what) throws IOException {
        long t0 = System.nanoTime();
        server.start();
        LOG.info("{} took {} ms, RSS {} MB", what, (System.nanoTime() - t0) / 1_000_000, rssMb(server.pid()));
    }

    private static long rssMb(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1L);
    }
}
