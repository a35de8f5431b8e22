package io.chipwatch.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' Kafka and InfluxDB come from. Chosen once per JVM: the system property
 * {@value #PROPERTY} ({@code local}, {@code containers} or {@code auto}) decides when set; otherwise containers
 * when Testcontainers finds a Docker engine, local processes when it does not. Testcontainers is only asked when
 * there is a hint of an engine (DOCKER_HOST, a Docker socket, {@code ~/.testcontainers.properties}).
 */
public enum InfraMode {
    /** Testcontainers: {@code apache/kafka} and {@code influxdb:1.8} images. */
    CONTAINERS,
    /** Local processes from the infra module: a Kafka broker JVM and the installed influxd. */
    LOCAL;

    public static final String PROPERTY = "chipwatch.infra";

    private static final Logger LOG = LoggerFactory.getLogger(InfraMode.class);

    /** The mode for this JVM, from {@link #PROPERTY} or by looking for a Docker engine. */
    static InfraMode select() {
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "local":
                LOG.info("Test infrastructure: local processes ({}=local)", PROPERTY);
                return LOCAL;
            case "containers":
                LOG.info("Test infrastructure: Testcontainers ({}=containers)", PROPERTY);
                return CONTAINERS;
            case "":
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be local, containers or auto, got " + forced);
        }
        if (dockerAvailable()) {
            LOG.info("Test infrastructure: Testcontainers (a Docker engine answers; -D{}=local to change)",
                    PROPERTY);
            return CONTAINERS;
        }
        LOG.info("Test infrastructure: local processes (no Docker engine; -D{}=containers to change)", PROPERTY);
        return LOCAL;
    }

    private static boolean dockerAvailable() {
        if (!dockerHintPresent()) {
            // Asking Testcontainers anyway would log an ERROR with a stack of failed strategies in every test JVM.
            LOG.debug("no DOCKER_HOST, no Docker socket and no ~/.testcontainers.properties: not asking Testcontainers");
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            // Testcontainers can fail in odd ways on machines without Docker; any failure means "no engine".
            LOG.debug("no Docker engine: {}", e.toString());
            return false;
        }
    }

    /**
     * True when something suggests a Docker engine could answer: DOCKER_HOST, a Testcontainers configuration file
     * or one of the sockets Docker, rootless Docker, Docker Desktop, Colima, Rancher Desktop or Podman use.
     */
    static boolean dockerHintPresent() {
        if (notBlank(System.getenv("DOCKER_HOST")) || notBlank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE"))) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of(home, ".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                Path.of("/run/podman/podman.sock"),
                Path.of(home, ".docker/run/docker.sock"),
                Path.of(home, ".docker/desktop/docker.sock"),
                Path.of(home, ".colima/default/docker.sock"),
                Path.of(home, ".colima/docker.sock"),
                Path.of(home, ".rd/docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (notBlank(runtimeDir)) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
            candidates.add(Path.of(runtimeDir, "podman/podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
