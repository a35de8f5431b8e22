package io.chipwatch.collector.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipwatch.collector.cli.DurationConverter;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.JobKind;
import io.chipwatch.collector.sim.TargetSelector;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.model.fault.FaultType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and validates scenario files (YAML; the format is documented in {@code scenarios/README.md}). Every
 * problem is reported as a {@link ScenarioException} naming the file and the field: unknown keys, missing keys,
 * values of the wrong type, unknown fault types, durations without a unit, offsets past the end, selectors of
 * the wrong scope.
 */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final Set<String> ROOT_KEYS = Set.of("name", "description", "cluster", "imperfections", "duration",
            "faults", "events");
    private static final Set<String> IMPERFECTION_KEYS = Set.of("workloadPhases", "readings", "chipVariation",
            "lookalikes", "transport");
    private static final Set<String> TRANSPORT_KEYS = Set.of("lateFraction", "lateMax", "duplicateFraction",
            "dropFraction", "skewedNodeFraction", "clockOffsetMin", "clockOffsetMax");
    private static final Set<String> CLUSTER_KEYS = Set.of("chips", "seed", "interval", "busyFraction");
    private static final Set<String> FAULT_KEYS = Set.of("type", "target", "at", "duration");
    private static final Set<String> JOB_START_KEYS = Set.of("type", "kind", "nodes", "at", "duration");
    private static final Set<String> JOB_STOP_KEYS = Set.of("type", "job", "at");

    private final String source;

    private ScenarioLoader(String source) {
        this.source = source;
    }

    /**
     * Loads a scenario file.
     *
     * @throws ScenarioException when the file is missing, not YAML, or not a valid scenario
     */
    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException("scenario file " + file + " does not exist");
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario file " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), name);
    }

    /**
     * Parses scenario text.
     *
     * @param source      what to call the text in messages (a file name)
     * @param defaultName the name when the scenario gives none
     */
    public static Scenario parse(String text, String source, String defaultName) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new ScenarioException(source + ": " + e.getMessage(), e);
        }
        return new ScenarioLoader(source).scenario(root, defaultName);
    }

    private Scenario scenario(JsonNode root, String defaultName) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("", "the file is empty; a scenario needs at least 'duration'");
        }
        requireObject(root, "", ROOT_KEYS);
        String name = root.has("name") ? string(root.get("name"), "name") : defaultName;
        String description = root.has("description") ? string(root.get("description"), "description") : "";
        Integer chips = null;
        Long seed = null;
        Long interval = null;
        Double busy = null;
        if (root.has("cluster")) {
            JsonNode c = root.get("cluster");
            requireObject(c, "cluster", CLUSTER_KEYS);
            if (c.has("chips")) {
                long n = integer(c.get("chips"), "cluster.chips");
                if (n < 8 || n % 8 != 0 || n > 10_000_000) {
                    throw fail("cluster.chips", "must be a positive multiple of 8 (8 chips per node), got " + n);
                }
                chips = (int) n;
            }
            if (c.has("seed")) {
                seed = integer(c.get("seed"), "cluster.seed");
            }
            if (c.has("interval")) {
                interval = duration(c.get("interval"), "cluster.interval");
                if (interval < 100) {
                    throw fail("cluster.interval", "must be at least 100ms (10 Hz), got " + interval + "ms");
                }
            }
            if (c.has("busyFraction")) {
                JsonNode b = c.get("busyFraction");
                if (!b.isNumber() || b.asDouble() < 0 || b.asDouble() > 1) {
                    throw fail("cluster.busyFraction", "must be a number within [0, 1], got " + b);
                }
                busy = b.asDouble();
            }
        }
        Imperfections imperfections = root.has("imperfections")
                ? imperfections(root.get("imperfections")) : Imperfections.REAL;
        if (!root.has("duration")) {
            throw fail("duration", "is required (how long the scenario runs, e.g. 10m)");
        }
        long duration = duration(root.get("duration"), "duration");
        if (duration <= 0) {
            throw fail("duration", "must be positive");
        }
        List<Scenario.Fault> faults = list(root, "faults", duration, this::fault);
        List<Scenario.Event> events = list(root, "events", duration, this::event);
        return new Scenario(name, description, chips, seed, interval, busy, imperfections, duration, faults, events);
    }

    /** The imperfections section: each key true (the default) or false; transport also a mapping of rates. */
    private Imperfections imperfections(JsonNode n) {
        requireObject(n, "imperfections", IMPERFECTION_KEYS);
        Imperfections im = Imperfections.REAL
                .withWorkloadPhases(flag(n, "workloadPhases"))
                .withRealReadings(flag(n, "readings"))
                .withChipVariation(flag(n, "chipVariation"))
                .withNormalLookalikes(flag(n, "lookalikes"));
        JsonNode t = n.get("transport");
        if (t == null || t.isBoolean()) {
            return im.withTransport(t == null || t.asBoolean() ? TransportNoise.DEFAULT : TransportNoise.NONE);
        }
        String path = "imperfections.transport";
        requireObject(t, path, TRANSPORT_KEYS);
        TransportNoise d = TransportNoise.DEFAULT;
        try {
            return im.withTransport(new TransportNoise(
                    fraction(t, "lateFraction", d.lateFraction()),
                    t.has("lateMax") ? duration(t.get("lateMax"), path + ".lateMax") : d.lateMaxMillis(),
                    fraction(t, "duplicateFraction", d.duplicateFraction()),
                    fraction(t, "dropFraction", d.dropFraction()),
                    fraction(t, "skewedNodeFraction", d.skewedNodeFraction()),
                    t.has("clockOffsetMin") ? duration(t.get("clockOffsetMin"), path + ".clockOffsetMin")
                            : d.clockOffsetMinMillis(),
                    t.has("clockOffsetMax") ? duration(t.get("clockOffsetMax"), path + ".clockOffsetMax")
                            : d.clockOffsetMaxMillis()));
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    private boolean flag(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            return true;
        }
        if (!v.isBoolean()) {
            throw fail("imperfections." + key, "must be true or false, got " + kind(v));
        }
        return v.asBoolean();
    }

    private double fraction(JsonNode n, String key, double otherwise) {
        JsonNode v = n.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            throw fail("imperfections.transport." + key, "must be a number within [0, 1], got " + v);
        }
        return v.asDouble();
    }

    private Scenario.Fault fault(JsonNode n, String path, long scenarioDuration) {
        requireObject(n, path, FAULT_KEYS);
        FaultType type;
        String typeText = string(required(n, "type", path), path + ".type");
        try {
            type = FaultType.fromLabel(typeText);
        } catch (IllegalArgumentException e) {
            throw fail(path + ".type", e.getMessage());
        }
        String target = string(required(n, "target", path), path + ".target");
        if (target.isBlank()) {
            throw fail(path + ".target", "must not be empty");
        }
        if (TargetSelector.isSelector(target)) {
            TargetSelector sel;
            try {
                sel = TargetSelector.parse(target);
            } catch (IllegalArgumentException e) {
                throw fail(path + ".target", e.getMessage());
            }
            if (sel.scope() != type.scope()) {
                throw fail(path + ".target", "'" + target + "' picks a " + sel.scope().label() + " but "
                        + type.label() + " targets a " + type.scope().label());
            }
        }
        long at = offset(n, path, scenarioDuration);
        long duration = 0;
        if (n.has("duration")) {
            duration = duration(n.get("duration"), path + ".duration");
            if (duration <= 0) {
                throw fail(path + ".duration", "must be positive (leave it out for 'until the end')");
            }
        }
        return new Scenario.Fault(type, target, at, duration);
    }

    private Scenario.Event event(JsonNode n, String path, long scenarioDuration) {
        if (!n.isObject()) {
            throw fail(path, "must be a mapping with 'type: job_start' or 'type: job_stop'");
        }
        String type = string(required(n, "type", path), path + ".type");
        switch (type) {
            case "job_start" -> {
                requireObject(n, path, JOB_START_KEYS);
                String kindText = string(required(n, "kind", path), path + ".kind");
                JobKind kind = switch (kindText.toLowerCase(Locale.ROOT)) {
                    case "training" -> JobKind.TRAINING;
                    case "inference" -> JobKind.INFERENCE;
                    default -> throw fail(path + ".kind", "must be training or inference, got '" + kindText + "'");
                };
                long nodes = integer(required(n, "nodes", path), path + ".nodes");
                if (nodes < 1 || nodes > 100_000) {
                    throw fail(path + ".nodes", "must be at least 1, got " + nodes);
                }
                long at = offset(n, path, scenarioDuration);
                long duration = duration(required(n, "duration", path), path + ".duration");
                if (duration <= 0) {
                    throw fail(path + ".duration", "must be positive");
                }
                return new Scenario.Event(true, at, kind, (int) nodes, duration, null);
            }
            case "job_stop" -> {
                requireObject(n, path, JOB_STOP_KEYS);
                String job = string(required(n, "job", path), path + ".job");
                if (job.startsWith("random") && !Set.of("random-job", "random-training-job", "random-inference-job")
                        .contains(job)) {
                    throw fail(path + ".job", "'" + job + "' is not a job selector; use a job id or random-job, "
                            + "random-training-job, random-inference-job");
                }
                return new Scenario.Event(false, offset(n, path, scenarioDuration), null, 0, 0, job);
            }
            default -> throw fail(path + ".type", "must be job_start or job_stop, got '" + type + "'");
        }
    }

    private long offset(JsonNode n, String path, long scenarioDuration) {
        long at = duration(required(n, "at", path), path + ".at");
        if (at >= scenarioDuration) {
            throw fail(path + ".at", "lies at or after the scenario's end (" + at + " ms >= duration "
                    + scenarioDuration + " ms)");
        }
        return at;
    }

    private JsonNode required(JsonNode n, String key, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw fail(path.isEmpty() ? key : path + "." + key, "is required");
        }
        return v;
    }

    private void requireObject(JsonNode n, String path, Set<String> allowed) {
        if (!n.isObject()) {
            throw fail(path, "must be a mapping (key: value), got " + kind(n));
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw fail(path.isEmpty() ? key : path + "." + key, "unknown key; allowed here: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** Reads one element of a top-level list; {@code path} is like {@code faults[2]}. */
    @FunctionalInterface
    private interface ElementReader<T> {
        T read(JsonNode n, String path, long scenarioDuration);
    }

    /** The elements of the optional top-level list {@code field} (empty when absent or null). */
    private <T> List<T> list(JsonNode root, String field, long scenarioDuration, ElementReader<T> reader) {
        List<T> elements = new ArrayList<>();
        if (root.has(field) && !root.get(field).isNull()) {
            JsonNode list = root.get(field);
            requireArray(list, field);
            for (int i = 0; i < list.size(); i++) {
                elements.add(reader.read(list.get(i), field + "[" + i + "]", scenarioDuration));
            }
        }
        return elements;
    }

    private void requireArray(JsonNode n, String path) {
        if (!n.isArray()) {
            throw fail(path, "must be a list (- item), got " + kind(n));
        }
    }

    private String string(JsonNode n, String path) {
        if (!n.isTextual()) {
            throw fail(path, "must be text, got " + kind(n));
        }
        return n.asText().trim();
    }

    private long integer(JsonNode n, String path) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw fail(path, "must be a whole number, got " + kind(n) + " " + n);
        }
        return n.asLong();
    }

    /** A duration with a unit: 500ms, 30s, 2m, 1h (also ISO-8601). Bare numbers are refused: which unit? */
    private long duration(JsonNode n, String path) {
        if (n.isNumber()) {
            throw fail(path, "needs a unit: write e.g. " + n.asText() + "s or " + n.asText() + "ms");
        }
        if (!n.isTextual()) {
            throw fail(path, "must be a duration like 30s, got " + kind(n));
        }
        try {
            return DurationConverter.parse(n.asText()).toMillis();
        } catch (RuntimeException e) {
            throw fail(path, e.getMessage());
        }
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "nothing";
        }
        return "text '" + n.asText() + "'";
    }

    private ScenarioException fail(String field, String message) {
        return new ScenarioException(source + ": " + (field.isEmpty() ? "" : field + ": ") + message);
    }
}
