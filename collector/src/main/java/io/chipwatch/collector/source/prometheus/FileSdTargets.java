package io.chipwatch.collector.source.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Prometheus's {@code file_sd} format: a list of groups
 * {@code [{"targets": ["host:port", …], "labels": {"pod": "p00", "rack": "p00-r00", "node": "p00-r00-n00"}}]},
 * as JSON or (for {@code .yml}/{@code .yaml} files, as Prometheus allows) YAML. Each address becomes a
 * {@link ScrapeTarget} with its group's labels.
 */
public final class FileSdTargets {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FileSdTargets() {
    }

    /**
     * The targets of a file's text; the same URL listed twice counts once.
     *
     * @param yaml whether the text is YAML rather than JSON
     * @throws IllegalArgumentException saying what is wrong (not the format, a target without node labels…)
     */
    public static List<ScrapeTarget> parse(String text, boolean yaml) {
        JsonNode root;
        try {
            root = (yaml ? YAML : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException("expected a list of {\"targets\": [...], \"labels\": {...}} groups");
        }
        List<ScrapeTarget> out = new ArrayList<>();
        Set<String> urls = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode group : root) {
            String where = "group " + index++;
            if (!group.isObject()) {
                throw new IllegalArgumentException(where + " is not an object");
            }
            JsonNode targets = group.path("targets");
            if (!targets.isArray()) {
                throw new IllegalArgumentException(where + " has no \"targets\" list");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode labelNode = group.path("labels");
            if (!labelNode.isMissingNode() && !labelNode.isNull()) {
                if (!labelNode.isObject()) {
                    throw new IllegalArgumentException(where + ": \"labels\" is not an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode()) {
                        throw new IllegalArgumentException(where + ": label " + e.getKey() + " is not a string");
                    }
                    labels.put(e.getKey(), e.getValue().asText());
                }
            }
            for (JsonNode address : targets) {
                if (!address.isTextual()) {
                    throw new IllegalArgumentException(where + ": target " + address + " is not a string");
                }
                try {
                    ScrapeTarget t = ScrapeTarget.of(address.asText(), labels);
                    if (urls.add(t.name())) {
                        out.add(t);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(out);
    }
}
