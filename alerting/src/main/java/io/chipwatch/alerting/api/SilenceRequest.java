package io.chipwatch.alerting.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.rules.Durations;
import io.chipwatch.infra.http.HttpError;
import io.chipwatch.infra.http.JsonBodies;
import io.chipwatch.infra.http.JsonHttpServer;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /api/silences}. {@code matchers}: objects {@code {"name","value","isRegex","isEqual"}} or
 * strings {@code "rack=\"p00-r01\""}; {@code endsAt} (RFC 3339) or {@code duration} (e.g. {@code 2h});
 * {@code startsAt} (optional, default now); {@code createdBy} (required); {@code comment}.
 */
public record SilenceRequest(List<JsonNode> matchers, String startsAt, String endsAt, String duration,
                             String createdBy, String comment) {

    /** A checked request, ready for the engine; times in epoch ms ({@code startsAt} null: now). */
    public record Valid(List<Matcher> matchers, Long startsAt, long endsAt, String createdBy, String comment) {
    }

    /**
     * Checks the request at {@code nowMillis}.
     *
     * @throws HttpError 400 naming the first wrong field
     */
    public Valid validate(long nowMillis) {
        List<Matcher> parsed = parseMatchers();
        Long start = startsAt == null ? null : instant("startsAt", startsAt);
        long end;
        if (endsAt != null && duration != null) {
            throw HttpError.badRequest("give either endsAt or duration, not both");
        } else if (endsAt != null) {
            end = instant("endsAt", endsAt);
        } else if (duration != null) {
            Duration d = Durations.parse(duration).orElseThrow(() -> HttpError.badRequest(
                    "duration: \"" + duration + "\" is not a duration (" + Durations.EXAMPLE + ")"));
            try {
                end = Math.addExact(start == null ? nowMillis : start, d.toMillis());
            } catch (ArithmeticException e) {
                throw HttpError.badRequest("duration: \"" + duration + "\" is too long");
            }
        } else {
            throw HttpError.badRequest("endsAt or duration is required");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw HttpError.badRequest("createdBy is required (who silences)");
        }
        return new Valid(parsed, start, end, createdBy, comment);
    }

    private List<Matcher> parseMatchers() {
        if (matchers == null || matchers.isEmpty()) {
            throw HttpError.badRequest("matchers: at least one is required, e.g. [\"rack=\\\"p00-r01\\\"\"]");
        }
        List<Matcher> out = new ArrayList<>();
        for (int i = 0; i < matchers.size(); i++) {
            JsonNode m = matchers.get(i);
            try {
                if (m.isTextual()) {
                    out.add(Matcher.parse(m.asText()));
                } else if (m.isObject()) {
                    out.add(JsonHttpServer.JSON.treeToValue(m, Matcher.class));
                } else {
                    throw new IllegalArgumentException("expected a string or an object");
                }
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("matchers[" + i + "]: " + e.getMessage());
            } catch (JsonProcessingException e) {
                throw HttpError.badRequest("matchers[" + i + "]: " + JsonBodies.firstLine(e));
            }
        }
        return out;
    }

    private static long instant(String field, String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw HttpError.badRequest(field + ": \"" + text + "\" is not an RFC 3339 time (e.g. 2025-11-24T16:00:00Z)");
        } catch (ArithmeticException e) {
            // Instant reaches the year 1,000,000,000; epoch milliseconds only about 292,000,000.
            throw HttpError.badRequest(field + ": \"" + text + "\" is out of range (epoch milliseconds overflow)");
        }
    }
}
