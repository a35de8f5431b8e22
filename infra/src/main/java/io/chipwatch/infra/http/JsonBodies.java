package io.chipwatch.infra.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Request bodies, read at most up to the server's {@link JsonHttpServer.Builder#maxBodyBytes limit} (413 beyond,
 * with or without a Content-Length) and, when a Content-Type is given, only as {@code application/json} (415
 * else). Errors are {@link HttpError}s saying what is wrong with the body.
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** The body's bytes (empty when there is none). */
    public static byte[] bytes(Context ctx) {
        long max = ctx.appData(JsonHttpServer.MAX_BODY);
        String contentType = ctx.header("Content-Type");
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            // Jetty gives up on a body that stops arriving after the server's read timeout.
            throw HttpError.of(408, "the body did not arrive in time: " + e.getMessage());
        }
        if (bytes.length > max) {
            throw HttpError.payloadTooLarge("body larger than " + max + " bytes");
        }
        if (bytes.length > 0 && contentType != null
                && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw HttpError.unsupportedMediaType("Content-Type must be application/json, got " + contentType);
        }
        return bytes;
    }

    /**
     * The body's bytes, only when the request says {@code Content-Type: application/json} (415 else, even without a
     * body): a browser sends a cross-site request without a preflight only with a form or text type (or none), so
     * a call that changes state and requires JSON cannot be forged by another site's page.
     */
    public static byte[] jsonBytes(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null || !isJson(contentType)) {
            throw HttpError.unsupportedMediaType("Content-Type must be application/json, got "
                    + (contentType == null ? "none" : contentType));
        }
        return bytes(ctx);
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT).strip();
        return t.equals("application/json") || t.startsWith("application/json;");
    }

    /**
     * The body as a {@code type} (a record): {@code whenEmpty} if there is no body (400 if that is null), 400
     * naming an unknown field or saying why it is not valid JSON for the call.
     */
    public static <T> T read(Context ctx, Class<T> type, T whenEmpty) {
        return parse(bytes(ctx), type, whenEmpty);
    }

    /**
     * {@code bytes} (a body already read) as a {@code type}, as {@link #read} does: {@code whenEmpty} if blank (400 if
     * that is null), else an {@link HttpError} 400 naming an unknown field or saying why it is not valid JSON for the
     * call; no other exception.
     */
    public static <T> T parse(byte[] bytes, Class<T> type, T whenEmpty) {
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            if (whenEmpty != null) {
                return whenEmpty;
            }
            throw HttpError.badRequest("a JSON body is required");
        }
        try {
            T value = JsonHttpServer.JSON.readValue(bytes, type);
            if (value == null) {
                throw HttpError.badRequest("a JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw HttpError.badRequest("unknown field \"" + e.getPropertyName() + "\"; known: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()));
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("body is not valid JSON for this call: " + firstLine(e));
        } catch (IOException e) {
            // Nothing is read from a stream here: Jackson's other IOExceptions are about the bytes, e.g. a body it
            // takes for UTF-32 with a character above U+10FFFF (CharConversionException; found by fuzzing).
            throw HttpError.badRequest("body is not valid JSON for this call: " + e.getMessage());
        }
    }

    /** The first line of a Jackson error's own message (without the source excerpt). */
    public static String firstLine(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
