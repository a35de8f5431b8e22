package io.chipwatch.infra.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.infra.InfluxDbUsers;
import io.chipwatch.infra.LocalInfluxDb;
import io.chipwatch.model.influx.InfluxCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A service's own meters pushed into a real influxd with authentication, as the writer the local stack creates: what
 * lands there (measurement names, fields, tags, counter increments that add up to the count), what does not (meters
 * not named {@code chipwatch.*}), and that a refused write never reaches the service.
 */
class InfluxSelfMetricsIT {
    private static final String DB = "telemetry";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static LocalInfluxDb influx;
    private static InfluxDbUsers.Files files;

    @BeforeAll
    static void start() {
        influx = LocalInfluxDb.builder().dataDir(tmp.resolve("influx")).authEnabled(true).build().start();
        files = InfluxDbUsers.Files.in(tmp.resolve("secrets"));
        InfluxDbUsers.bootstrap(influx.url(), DB, files);
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.stop();
        }
    }

    private static JsonNode query(String statement) throws Exception {
        InfluxDbUsers.Answer a = InfluxDbUsers.query(influx.url(),
                Optional.of(InfluxCredentials.read(files.reader())), statement);
        assertThat(a.ok()).as("%s: %s", statement, a.body()).isTrue();
        return JSON.readTree(a.body()).path("results").path(0).path("series");
    }

    @Test
    void ownMetersReachInfluxDbTaggedWithTheServiceAndOthersStayOut() throws Exception {
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        registry.add(new SimpleMeterRegistry());
        Counter dropped = Counter.builder("chipwatch.it.samples.dropped").tag("reason", "buffer_full")
                .register(registry);
        AtomicLong buffered = new AtomicLong(42);
        Gauge.builder("chipwatch.it.buffer.samples", buffered, AtomicLong::get).register(registry);
        Timer latency = Timer.builder("chipwatch.it.send.latency").register(registry);
        Counter foreign = Counter.builder("jvm.it.foreign").register(registry);

        AutoCloseable push = InfluxSelfMetrics.pushTo(registry, new SelfMetricsTarget(influx.url(), DB,
                Optional.of(InfluxCredentials.read(files.writer())), Duration.ofSeconds(1)),
                Tags.of("service", "it", "instance", "0/1"));
        dropped.increment(5);
        latency.record(Duration.ofMillis(250));
        foreign.increment();
        Thread.sleep(1_500);
        dropped.increment(2);
        push.close();

        // Each point holds the increase over one step: together they add up to the count.
        JsonNode sum = query("SELECT sum(\"value\") FROM \"" + DB + "\"..\"chipwatch_it_samples_dropped\" WHERE \"service\" = 'it' "
                + "AND \"instance\" = '0/1' AND \"reason\" = 'buffer_full'");
        assertThat(sum.path(0).path("values").path(0).path(1).asDouble()).isEqualTo(7.0);
        JsonNode gauge = query("SELECT last(\"value\") FROM \"" + DB + "\"..\"chipwatch_it_buffer_samples\" WHERE \"service\" = 'it'");
        assertThat(gauge.path(0).path("values").path(0).path(1).asDouble()).isEqualTo(42.0);
        JsonNode timer = query("SELECT sum(\"count\"), max(\"upper\") FROM \"" + DB + "\"..\"chipwatch_it_send_latency\"");
        assertThat(timer.path(0).path("values").path(0).path(1).asDouble()).isEqualTo(1.0);
        assertThat(timer.path(0).path("values").path(0).path(2).asDouble()).isEqualTo(250.0); // milliseconds, the InfluxDB registry's base unit

        JsonNode measurements = query("SHOW MEASUREMENTS ON \"" + DB + "\"");
        assertThat(measurements.path(0).path("values").toString())
                .contains("chipwatch_it_samples_dropped").doesNotContain("jvm_it_foreign");
        // The meters still count in the service's other registries after the push stopped.
        assertThat(registry.get("chipwatch.it.samples.dropped").counter().count()).isEqualTo(7.0);
    }

    @Test
    void aRefusedWriteNeverReachesTheService() {
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        registry.add(new SimpleMeterRegistry());
        Counter c = Counter.builder("chipwatch.it.refused").register(registry);
        assertThatCode(() -> {
            AutoCloseable push = InfluxSelfMetrics.pushTo(registry, new SelfMetricsTarget(influx.url(), DB,
                    Optional.of(new InfluxCredentials(InfluxCredentials.read(files.writer()).user(), "not-the-password")),
                    Duration.ofSeconds(1)), Tags.of("service", "it"));
            c.increment();
            Thread.sleep(1_200);
            push.close();
        }).doesNotThrowAnyException();
        assertThat(c.count()).isEqualTo(1.0);
    }
}
