package io.chipwatch.infra.secret;

import java.net.URI;

/**
 * A URL as it may be logged, printed or shown: scheme, host and port only, the rest (user info, path, query,
 * fragment: where webhook URLs carry their tokens) replaced by {@code …}. E.g.
 * {@code https://hooks.example.com/services/T0/B0/XXXX?token=y} is shown as {@code https://hooks.example.com/…}.
 */
public final class RedactedUrl {
    private RedactedUrl() {
    }

    /** {@code scheme://host[:port]}, then {@code /…} when anything else was there. */
    public static String of(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "(a URL, not shown)";
        }
        String host = uri.getHost();
        String base = uri.getScheme() + "://" + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        boolean more = uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"));
        return more ? base + "/…" : base;
    }

    /** As {@link #of(URI)} for a string; one that is not a URL is not shown at all. */
    public static String of(String url) {
        try {
            return of(URI.create(url.strip()));
        } catch (IllegalArgumentException e) {
            return "(a URL, not shown)";
        }
    }
}
