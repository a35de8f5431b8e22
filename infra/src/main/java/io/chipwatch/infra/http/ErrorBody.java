package io.chipwatch.infra.http;

/** The one JSON body of every error answer: {@code {"error": "<reason>", "status": <code>}}. */
public record ErrorBody(String error, int status) {
}
