package io.chipwatch.alerting.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver for tests: a JDK HttpServer that keeps every JSON body with its arrival time. */
public final class TestWebhook implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request. */
    public record Received(long atMillis, long atNanos, JsonNode body) {
    }

    private final HttpServer server;
    private final String path;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);

    public TestWebhook() throws IOException {
        this("/hook");
    }

    /** Listens on {@code path} (e.g. {@code /api/v2/alerts} to stand in for Alertmanager). */
    public TestWebhook(String path) throws IOException {
        this.path = path;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext(path, ex -> {
            long nanos = System.nanoTime();
            long millis = System.currentTimeMillis();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            int code = status.get();
            if (code == 200) {
                synchronized (received) {
                    received.add(new Received(millis, nanos, JSON.readTree(body)));
                    received.notifyAll();
                }
            }
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
    }

    public String url() {
        return base() + path;
    }

    /** http://127.0.0.1:PORT */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes the receiver answer this HTTP status (and drop the bodies) until set back to 200. */
    public void answer(int code) {
        status.set(code);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
