package io.chipwatch.infra.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guards a service puts in front of a call that changes state: Host, bearer token, JSON only, slow bodies. */
class RequestGuardsTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static JsonHttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = JsonHttpServer.builder("guards-test").bind("127.0.0.1", 0).maxBodyBytes(1000)
                .checkHost(List.of("collector", "Chips.Example.ORG"))
                .routes(r -> {
                    r.before("/secret", new BearerToken(TOKEN, "test-realm", "the test's token file"));
                    r.post("/secret", ctx -> ctx.result("got " + JsonBodies.jsonBytes(ctx).length));
                    r.get("/open", ctx -> ctx.result("open"));
                }).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code request} as is; the answer's text, or "" when the server closed without one. */
    private static String send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String post(String host, String auth, String contentType, String body) throws IOException {
        return send("POST /secret HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body);
    }

    @Test
    void aRequestWithTheTokenJsonAndALocalHostIsServed() throws Exception {
        for (String host : List.of("127.0.0.1:8080", "localhost", "LOCALHOST:1", "[::1]:9400", "collector:9400",
                "chips.example.org")) {
            assertThat(post(host, "Bearer " + TOKEN, "application/json; charset=utf-8", "{}"))
                    .as(host).startsWith("HTTP/1.1 200").endsWith("got 2");
        }
        assertThat(send("GET /open HTTP/1.0\r\n\r\n")).as("no Host: not a browser").startsWith("HTTP/1.1 200");
    }

    @Test
    void aForeignHostIsRefusedBeforeAnythingElse() throws Exception {
        String answer = post("evil.example:9400", "Bearer " + TOKEN, "application/json", "{}");
        assertThat(answer).startsWith("HTTP/1.1 421").contains("Host \\\"evil.example:9400\\\" is not served here")
                .contains("allowed: 127.0.0.1, ::1, chips.example.org, collector, localhost");
        assertThat(send("GET /open HTTP/1.1\r\nHost: 127.0.0.1.evil.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 421");
        assertThat(send("GET /nothing HTTP/1.1\r\nHost: rebind.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 421");
    }

    @Test
    void noTokenOrAWrongOneIs401WithAChallengeThatDoesNotRevealTheToken() throws Exception {
        String none = post("localhost", null, "application/json", "{}");
        assertThat(none).startsWith("HTTP/1.1 401").contains("WWW-Authenticate: Bearer realm=\"test-realm\"")
                .contains("the test's token file");
        String wrong = post("localhost", "Bearer " + TOKEN.substring(1) + "x", "application/json", "{}");
        assertThat(wrong).startsWith("HTTP/1.1 401").contains("invalid_token").doesNotContain(TOKEN);
        assertThat(post("localhost", "Basic " + TOKEN, "application/json", "{}")).startsWith("HTTP/1.1 401");
        assertThatThrownBy(() -> new BearerToken(" ", "r", "f")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs415EvenWhenItParses() throws Exception {
        // What a cross-site form or fetch without a preflight can send: a form type, text/plain, or no type.
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                "application/jsonp", null}) {
            assertThat(post("localhost", "Bearer " + TOKEN, type, "{}")).as(String.valueOf(type))
                    .startsWith("HTTP/1.1 415").contains("Content-Type must be application/json");
        }
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        assertThat(post("localhost", "Bearer " + TOKEN, "application/json", "[" + "1,".repeat(600) + "1]"))
                .startsWith("HTTP/1.1 413");
    }

    @Test
    void aBodyThatTricklesInIsCutOffLongBeforeItEnds() throws Exception {
        assertThat(server.settings()).containsEntry("minBodyBytesPerSecond", 4096L);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /secret HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int sent = 0;
            InputStream in = s.getInputStream();
            try {
                // 100 bytes at 10 bytes/s would take 10 s, and each pause is far inside the 30 s read timeout.
                while (sent < 100 && in.available() == 0) {
                    Thread.sleep(100);
                    out.write('1');
                    out.flush();
                    sent++;
                }
            } catch (SocketException e) {
                // closed by the server
            }
            String answer;
            try {
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketException e) {
                answer = "";
            }
            assertThat(sent).as("bytes sent before the server gave up; answer: %s", answer).isLessThan(50);
            assertThat(answer).as("408 or closed without an answer")
                    .satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408")
                            .contains("Request content data rate < 4096 B/s"));
        }
    }
}
