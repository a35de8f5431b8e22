package io.chipwatch.infra.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A {@code before} handler that lets a request through only with {@code Authorization: Bearer <token>}, compared in
 * constant time; else 401 with a {@code WWW-Authenticate} challenge naming the realm. The token itself comes from a
 * {@link io.chipwatch.infra.secret.SecretFile} and is never logged or echoed.
 */
public final class BearerToken implements Handler {
    private final byte[] token;
    private final String realm;
    private final String where;

    /**
     * @param token the expected token
     * @param realm the challenge's realm, e.g. {@code chipwatch-collector}
     * @param where where a client finds the token, for the 401's message (a file name, never the token)
     */
    public BearerToken(String token, String realm, String where) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("an empty bearer token would let anyone in");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.realm = realm;
        this.where = where;
    }

    @Override
    public void handle(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HttpError.unauthorized("missing bearer token (Authorization: Bearer <token>; the token is in "
                    + where + ")", "Bearer realm=\"" + realm + "\"");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw HttpError.unauthorized("invalid bearer token", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
        }
    }
}
