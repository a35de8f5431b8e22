package io.chipwatch.cli.stack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code up} started and on which ports, persisted in {@code var/run/stack.json} so that {@code status},
 * {@code query} and {@code down} (separate JVMs) find the stack, and a second {@code up} reuses its ports.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StackState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Component name to its port assignments (name to port). */
    public Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
    /** Component name to the pid of its process. */
    public Map<String, Long> pids = new LinkedHashMap<>();
    public Integer chips;
    public Long seed;
    /**
     * True when the stack's Kafka authenticates (SASL/SCRAM, ACLs): its clients then use the credentials files of
     * {@link LocalStack#kafkaCredentials}. Absent for a stack started PLAINTEXT by an older version.
     */
    public Boolean kafkaSasl;
    /**
     * With {@code up --cluster}: the size of its Kafka cluster and Flink session cluster ({@link ClusterComponents});
     * absent for the default stack.
     */
    public ClusterSize cluster;
    /** Name of the Grafana container, when {@code up} ran Grafana on a Docker engine. */
    public String grafanaContainer;

    public static StackState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new StackState();
        }
        return JSON.readValue(file.toFile(), StackState.class);
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Integer port(String component, String name) {
        Map<String, Integer> p = ports.get(component);
        return p == null ? null : p.get(name);
    }

    public void port(String component, String name, int port) {
        ports.computeIfAbsent(component, k -> new LinkedHashMap<>()).put(name, port);
    }
}
