package io.chipwatch.collector.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.collector.cli.DurationConverter;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;
import io.chipwatch.infra.http.JsonHttpServer;
import io.chipwatch.model.fault.FaultType;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the body of {@code POST /faults}, {@code {"type":"overheat","target":"p00-r01-n02-c03","duration":"2m"}},
 * into a {@link FaultRequest} starting at the next tick; a wrong body is an {@link HttpError} 400 naming the field
 * ({@code type: unknown fault type 'melt'}, {@code colour: unknown key}, {@code duration: must be text with a unit}).
 * Field by field rather than by data binding, so that each field's mistake gets its own hint.
 */
final class FaultRequestReader {
    private static final Set<String> KEYS = Set.of("type", "target", "duration");

    private FaultRequestReader() {
    }

    static FaultRequest read(byte[] body) {
        JsonNode req;
        try {
            req = JsonHttpServer.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("body is not JSON: " + JsonBodies.firstLine(e));
        } catch (IOException e) {
            throw HttpError.badRequest("body is not JSON: " + e.getMessage());
        }
        if (req == null || !req.isObject()) {
            throw HttpError.badRequest("body must be a JSON object like "
                    + "{\"type\":\"overheat\",\"target\":\"random-chip\",\"duration\":\"2m\"}");
        }
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw HttpError.badRequest(key + ": unknown key; allowed: duration, target, type");
            }
        }
        FaultType type = type(req.get("type"));
        JsonNode target = req.get("target");
        if (target == null || !target.isTextual() || target.asText().isBlank()) {
            throw HttpError.badRequest("target: required, a " + type.scope().label() + " id or a selector like random-"
                    + type.scope().label());
        }
        return new FaultRequest(type, target.asText().trim(), FaultRequest.NOW, durationMillis(req.get("duration")));
    }

    private static FaultType type(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw HttpError.badRequest("type: required, one of " + FaultType.labels());
        }
        try {
            return FaultType.fromLabel(node.asText());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("type: " + e.getMessage());
        }
    }

    /** 0: until cleared. */
    private static long durationMillis(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isTextual()) {
            throw HttpError.badRequest("duration: must be text with a unit, e.g. \"30s\" or \"2m\"");
        }
        long millis;
        try {
            millis = DurationConverter.parse(node.asText()).toMillis();
        } catch (RuntimeException e) {
            throw HttpError.badRequest("duration: " + e.getMessage());
        }
        if (millis <= 0) {
            throw HttpError.badRequest("duration: must be positive (leave it out for 'until cleared')");
        }
        return millis;
    }
}
