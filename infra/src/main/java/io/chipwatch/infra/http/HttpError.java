package io.chipwatch.infra.http;

import java.time.Duration;
import java.util.Map;

/**
 * An HTTP error a handler means to send: its status, a reason for the client and any headers it needs
 * ({@code WWW-Authenticate}, {@code Retry-After}). {@link JsonHttpServer} turns it into
 * {@code {"error": "<reason>", "status": <code>}} ({@link ErrorBody}); one factory per kind, so that a status is
 * chosen by what went wrong, not by which JDK exception happened to be thrown.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final transient Map<String, String> headers;

    private HttpError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    /** 400: the request is wrong; {@code message} names the field (e.g. {@code limit: must be 1..10000}). */
    public static HttpError badRequest(String message) {
        return new HttpError(400, message, Map.of());
    }

    /** 401 with a {@code WWW-Authenticate} challenge. */
    public static HttpError unauthorized(String message, String challenge) {
        return new HttpError(401, message, Map.of("WWW-Authenticate", challenge));
    }

    /** 404: no such resource. */
    public static HttpError notFound(String message) {
        return new HttpError(404, message, Map.of());
    }

    /** 405: the path exists, the method does not. */
    public static HttpError methodNotAllowed(String message) {
        return new HttpError(405, message, Map.of());
    }

    /** 409: the request conflicts with the resource's state (e.g. acknowledging a resolved alert). */
    public static HttpError conflict(String message) {
        return new HttpError(409, message, Map.of());
    }

    /** 413: the body is over the server's limit. */
    public static HttpError payloadTooLarge(String message) {
        return new HttpError(413, message, Map.of());
    }

    /** 415: the body is not of a type the call reads. */
    public static HttpError unsupportedMediaType(String message) {
        return new HttpError(415, message, Map.of());
    }

    /** 503 with {@code Retry-After}: the server is busy or going down; the same request may work later. */
    public static HttpError busy(String message, Duration retryAfter) {
        return new HttpError(503, message, Map.of("Retry-After",
                String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000))));
    }

    /** 429 with {@code Retry-After}: this client (or all of them together) sent too many requests. */
    public static HttpError tooManyRequests(String message, Duration retryAfter) {
        return new HttpError(429, message, Map.of("Retry-After",
                String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000))));
    }

    /** An error with any status (for the few that have no factory, e.g. Javalin's own). */
    public static HttpError of(int status, String message) {
        return new HttpError(status, message, Map.of());
    }

    public int status() {
        return status;
    }

    /** Headers to send with the error. */
    public Map<String, String> headers() {
        return headers;
    }
}
