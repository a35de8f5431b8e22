package io.chipwatch.cli.stack.supervise;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chipwatch.cli.stack.StackLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The supervisor's own state file, {@code var/run/supervisor.json}: its pid and each component's
 * {@link ComponentStatus} (restart counts for {@code status}). Only the supervisor writes it; {@code status},
 * {@code up} and {@code down} read it (the stack's pids stay in {@code stack.json}, which the supervisor updates
 * when it restarts a component).
 *
 * @param pid        the supervisor's pid
 * @param updatedAt  when it was last written (epoch ms)
 * @param components component name to its status, in start order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SupervisorState(Long pid, Long updatedAt, Map<String, ComponentStatus> components) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SupervisorState {
        components = components == null ? Map.of() : new LinkedHashMap<>(components);
    }

    /** Where a stack with this layout keeps it. */
    public static Path file(StackLayout layout) {
        return layout.stateFile().resolveSibling("supervisor.json");
    }

    /** The state in {@code file}, or an empty one (no pid) when there is none. */
    public static SupervisorState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new SupervisorState(null, null, Map.of());
        }
        return JSON.readValue(file.toFile(), SupervisorState.class);
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** How many times the supervisor restarted each component (0 for one it never restarted). */
    public Map<String, Integer> restarts() {
        Map<String, Integer> restarts = new LinkedHashMap<>();
        components.forEach((name, s) -> restarts.put(name, s.restarts()));
        return restarts;
    }
}
