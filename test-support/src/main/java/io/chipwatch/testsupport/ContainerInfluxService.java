package io.chipwatch.testsupport;

import io.chipwatch.infra.InfraException;
import io.chipwatch.infra.LocalInfluxDb;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * An InfluxDB 1.x in a container ({@value #IMAGE}). Bound to a fixed host port picked at start, so that a
 * {@link #stop()} and {@link #start()} of the same container (which keeps its data volume) come back at the same
 * {@link #url()}.
 */
final class ContainerInfluxService extends ContainerService implements ManagedInflux {

    static final String IMAGE = "influxdb:1.8";
    private static final int HTTP_PORT = 8086;

    private final String url;

    private ContainerInfluxService(GenericContainer<?> container) {
        super(container);
        this.url = "http://" + container.getHost() + ":" + container.getMappedPort(HTTP_PORT);
    }

    static ContainerInfluxService launch() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(HTTP_PORT)
                // The same settings as the local influxd: no phoning home, no self-monitoring, no request log.
                .withEnv("INFLUXDB_REPORTING_DISABLED", "true")
                .withEnv("INFLUXDB_MONITOR_STORE_ENABLED", "false")
                .withEnv("INFLUXDB_HTTP_LOG_ENABLED", "false")
                .waitingFor(Wait.forHttp("/ping").forPort(HTTP_PORT).forStatusCode(204)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        return new ContainerInfluxService(startOnFreeHostPort(container, HTTP_PORT));
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public void createDatabase(String name) {
        LocalInfluxDb.createDatabase(url, name);
    }

    @Override
    protected void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!LocalInfluxDb.ping(url)) {
            if (System.nanoTime() > deadline) {
                throw new InfraException("InfluxDB container at " + url + " does not answer /ping after 60 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while waiting for " + url, e);
            }
        }
    }

    @Override
    public String toString() {
        return "InfluxDB container " + url;
    }
}
