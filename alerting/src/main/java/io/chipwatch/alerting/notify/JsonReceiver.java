package io.chipwatch.alerting.notify;

import io.chipwatch.infra.secret.RedactedUrl;

import java.net.URI;
import java.time.Duration;

/**
 * A receiver that POSTs JSON to one URL ({@link JsonPost}: 2 s to connect, then the delivery timeout); its
 * subclasses say what the body is.
 */
public abstract class JsonReceiver implements Receiver {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final URI uri;
    private final String kind;
    private final JsonPost http;

    /** @param kind what the receiver is, for {@link #toString()} (e.g. {@code webhook}) */
    protected JsonReceiver(String name, URI uri, Duration timeout, String kind) {
        this.name = name;
        this.uri = uri;
        this.kind = kind;
        this.http = new JsonPost(CONNECT_TIMEOUT, timeout);
    }

    @Override
    public final String name() {
        return name;
    }

    /** Where the notifications go. */
    public final URI uri() {
        return uri;
    }

    /** One attempt: posts {@code body} as JSON. */
    protected final void post(Object body) throws DeliveryException {
        http.post(uri, body);
    }

    @Override
    public String toString() {
        return name + " (" + kind + " " + RedactedUrl.of(uri) + ")";
    }
}
