package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Readiness;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.LocalProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the stack tells its own JVMs are ready: an HTTP path that answers 200 ({@code /healthz}) or a Flink REST API
 * that lists a RUNNING job. Each fails early, naming the log, when the process exits while it waits.
 */
public final class StackProbes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StackProbes() {
    }

    /** Ready once the component's address + {@code path} answers 200; fails after {@code timeout}. */
    static Readiness http(String path, Duration timeout) {
        return (launch, started) -> {
            awaitHttp(launch.url() + path, started, launch.component().name(), launch.log(), timeout);
            return true;
        };
    }

    /** Ready once the component's Flink REST API lists a RUNNING job; fails after {@code timeout}. */
    static Readiness flinkJob(Duration timeout) {
        return (launch, started) -> {
            awaitFlinkJobRunning(launch.url(), started.process(), launch.component().name(), launch.log(), timeout);
            return true;
        };
    }

    static void awaitHttp(String url, Started started, String component, Path log, Duration timeout)
            throws InterruptedException {
        LocalProcess p = started.process();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(component + " exited at start (code " + p.exitCode().orElse(-1)
                        + "); see " + log);
            }
            if (answers(url, Duration.ofSeconds(2))) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(component + " does not answer " + url + " after " + timeout.toSeconds()
                + " s; see " + log);
    }

    private static void awaitFlinkJobRunning(String flinkUrl, LocalProcess p, String component, Path log,
                                             Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Flink job (" + component + ") exited at start (code "
                        + p.exitCode().orElse(-1) + "); see " + log);
            }
            if (flinkJobRunning(flinkUrl)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Flink job (" + component + ") is not RUNNING after "
                + timeout.toSeconds() + " s; see " + log);
    }

    /** True when the Flink REST API at {@code flinkUrl} lists a job in state RUNNING. */
    public static boolean flinkJobRunning(String flinkUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(flinkUrl + "/jobs/overview"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"state\":\"RUNNING\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * True when a GET of {@code url} gets any HTTP answer within {@code timeout} (the process serves, healthy or
     * not); false for none, or no usable URL.
     */
    public static boolean responds(String url, Duration timeout) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when a GET of {@code url} answers 200 within {@code timeout}; false for no (or no usable) URL. */
    public static boolean answers(String url, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
