package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on loopback for the chaos ITs: records every alert of every notification Alertmanager pages
 * to it (Alertmanager's webhook JSON), in arrival order, and answers 200.
 */
final class WebhookRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert of one webhook notification: alertname, entity, status and the alert's fingerprint. */
    record Paged(String alertname, String entity, String status, String fingerprint) {
    }

    private final List<Paged> pages = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private WebhookRecorder(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free loopback port. */
    static WebhookRecorder start() throws IOException {
        WebhookRecorder recorder = new WebhookRecorder(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        recorder.server.createContext("/", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            for (JsonNode alert : body.path("alerts")) {
                recorder.pages.add(new Paged(alert.path("labels").path("alertname").asText(),
                        alert.path("labels").path("entity").asText(), alert.path("status").asText(),
                        alert.path("fingerprint").asText()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        recorder.server.start();
        return recorder;
    }

    /** The receiver's URL, for {@code up --webhook}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Every alert paged so far (a live, thread-safe view). */
    List<Paged> pages() {
        return pages;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
