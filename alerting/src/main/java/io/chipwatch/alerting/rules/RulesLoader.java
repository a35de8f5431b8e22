package io.chipwatch.alerting.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chipwatch.model.anomaly.Anomaly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads and validates the rules file once, at start. Every problem is reported with the path of its field, e.g.
 * {@code rules[3].for: "abc" is not a duration (e.g. 30s, 2m)}; unknown keys are errors
 * ({@code FAIL_ON_UNKNOWN_PROPERTIES}), so a typo never silently turns a setting off.
 */
public final class RulesLoader {

    /** The documented defaults, {@code alerting/src/main/resources/alert-rules.yaml}. */
    public static final String DEFAULT_RESOURCE = "/alert-rules.yaml";

    /** Labels every alert gets from its anomaly; rules cannot set them. */
    public static final Set<String> RESERVED_LABELS;

    static {
        Set<String> reserved = new TreeSet<>(List.of("alertname", "severity", "type", "scope", "entity"));
        reserved.addAll(Anomaly.HIERARCHY_KEYS);
        RESERVED_LABELS = Set.copyOf(reserved);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RulesLoader() {
    }

    /** The built-in defaults shipped in the jar. */
    public static RuleSet loadDefaults() {
        try (InputStream in = RulesLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default rules " + DEFAULT_RESOURCE + " are not on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default rules", e);
        }
    }

    /** Reads a rules file; {@code null} means the defaults. */
    public static RuleSet load(Path file) {
        if (file == null) {
            return loadDefaults();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new RulesException(file.toString(), List.of("file not found"));
        } catch (IOException e) {
            throw new RulesException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates rules from YAML text.
     *
     * @param source named in error messages
     * @throws RulesException listing every problem
     */
    public static RuleSet parse(String yaml, String source) {
        RulesFile file;
        try {
            file = yaml == null || yaml.isBlank() ? null : YAML.readValue(yaml, RulesFile.class);
        } catch (JsonProcessingException e) {
            throw new RulesException(source, List.of(describe(e)));
        }
        if (file == null) {
            throw new RulesException(source, List.of("the file is empty; it needs at least 'rules:'"));
        }
        return new RulesValidation(source).validate(file);
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof StreamReadException parse
                && !(e instanceof StreamReadException)) {
            return describe(parse);
        }
        if (e instanceof StreamReadException parse
                && !(e instanceof JsonMappingException)) {
            String msg = String.valueOf(parse.getOriginalMessage()).strip().replaceAll("\\s*\\n\\s*", " ");
            String at = parse.getLocation() == null ? ""
                    : " at line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
            return "not valid YAML" + at + ": " + msg;
        }
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds();
            return path(u) + ": unknown key" + where + "; known keys: "
                    + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof MismatchedInputException m) {
            String expected = m.getTargetType() == null ? "another type" : friendly(m.getTargetType());
            return path(m) + ": expected " + expected + where;
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return path(m) + ": " + m.getOriginalMessage() + where;
        }
        return "not valid YAML" + where + ": " + e.getOriginalMessage();
    }

    private static String friendly(Class<?> type) {
        if (type == String.class) {
            return "a single value (text)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.getName().startsWith(RulesFile.class.getName())) {
            return "a mapping (key: value)";
        }
        return type.getSimpleName();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }
}
