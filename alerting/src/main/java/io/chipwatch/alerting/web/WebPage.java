package io.chipwatch.alerting.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The on-call page: static files from {@code io/chipwatch/alerting/web/} ({@code index.html}, {@code app.js},
 * {@code app.css}). They hold no data: the page asks for the API token, keeps it in the tab's sessionStorage and
 * calls the JSON API with it. Served with a strict Content-Security-Policy (no inline script, same origin only).
 */
public final class WebPage {
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** One static file. */
    public record Asset(String contentType, byte[] bytes, Map<String, String> headers) {
    }

    private final Map<String, Asset> assets = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/index.html", load("index.html", "text/html; charset=utf-8"),
            "/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/app.css", load("app.css", "text/css; charset=utf-8"));

    /** The paths of the assets ({@code /}, {@code /index.html}, {@code /app.js}, {@code /app.css}). */
    public Set<String> paths() {
        return assets.keySet();
    }

    /** The asset served at {@code path}, if any. */
    public Optional<Asset> asset(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = WebPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing web resource " + name);
            }
            return new Asset(contentType, in.readAllBytes(), Map.of("Content-Security-Policy", CSP,
                    "X-Frame-Options", "DENY", "Cache-Control", "no-cache"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
