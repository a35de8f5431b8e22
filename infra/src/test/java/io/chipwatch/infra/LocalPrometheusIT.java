package io.chipwatch.infra;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's prometheus as a process (the peer {@code bench} measures): the rendered configuration and rules load,
 * it scrapes its target at the interval and evaluates the rules.
 */
class LocalPrometheusIT {
    private static final String RULES = """
            groups:
              - name: test
                rules:
                  - alert: Hot
                    expr: DCGM_FI_DEV_GPU_TEMP > 90
            """;

    @Test
    void scrapesTheTargetEverySecondAndEvaluatesItsRules(@TempDir Path dir) throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE DCGM_FI_DEV_GPU_TEMP gauge\nDCGM_FI_DEV_GPU_TEMP{chip=\"a\"} 95\n"
                    + "DCGM_FI_DEV_GPU_TEMP{chip=\"b\"} 60\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try (LocalPrometheus prometheus = LocalPrometheus.builder().dataDir(dir.resolve("prom")).port(0)
                .scrapeTarget("127.0.0.1:" + target.getAddress().getPort())
                .scrapeInterval(Duration.ofSeconds(1)).rules(RULES).build()) {
            prometheus.start();
            assertThat(prometheus.isRunning()).isTrue();
            assertThat(prometheus.config()).contains("scrape_interval: 1000ms").contains("rule_files: [rules.yml]");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String alerts = "";
            while (System.nanoTime() < deadline && !alerts.contains("\"alertname\":\"Hot\"")) {
                Thread.sleep(500);
                alerts = get(prometheus.url() + "/api/v1/alerts");
            }
            assertThat(alerts).contains("\"alertname\":\"Hot\"").contains("\"chip\":\"a\"").doesNotContain("\"chip\":\"b\"");
            String samples = get(prometheus.url() + "/api/v1/query?query=count_over_time(DCGM_FI_DEV_GPU_TEMP%5B10s%5D)");
            assertThat(samples).contains("\"chip\":\"a\"");
            assertThat(get(prometheus.url() + "/metrics")).contains("prometheus_tsdb_head_samples_appended_total");
        } finally {
            target.stop(0);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
