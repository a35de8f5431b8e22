package io.chipwatch.collector.source.prometheus;

import io.chipwatch.collector.source.SourceProblem;
import io.chipwatch.collector.source.SourceReading;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes one target's {@code /metrics} over HTTP (the JDK's client, one connection pool for all targets) and maps
 * the body ({@link TextFormatParser}, {@link DcgmMapping}). Never throws: a timeout, a refused connection, a status
 * other than 200, a malformed body or a body over the size limit are a failed {@link SourceReading}. How many
 * scrapes run at once is the caller's business ({@link ScrapeLoop}).
 */
public final class Scraper implements AutoCloseable {
    /** A dcgm-exporter body for 8 GPUs is ~30 KB; 16 MiB allows large nodes and bounds memory against a wrong target. */
    public static final int MAX_BODY_BYTES = 16 << 20;

    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;

    public Scraper(Duration timeout, int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "scrape-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Scrapes {@code target}; the reading's samples are stamped {@code timestampMillis}. Completes within the timeout. */
    public CompletableFuture<SourceReading> scrape(ScrapeTarget target, long timestampMillis) {
        HttpRequest request = HttpRequest.newBuilder(target.url()).timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
                .header("X-Prometheus-Scrape-Timeout-Seconds", String.valueOf(timeout.toMillis() / 1000.0))
                .GET().build();
        CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request,
                info -> HttpResponse.BodySubscribers.mapping(LimitedBody.subscriber(MAX_BODY_BYTES), LimitedBody::text));
        return sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        sent.cancel(true);
                        return failure(error);
                    }
                    if (response.statusCode() != 200) {
                        return SourceReading.failed(SourceProblem.HTTP_STATUS, "HTTP " + response.statusCode());
                    }
                    try {
                        return DcgmMapping.map(target, TextFormatParser.parse(response.body(),
                                DcgmMapping.SERIES::contains), timestampMillis);
                    } catch (ExpositionException e) {
                        return SourceReading.failed(SourceProblem.MALFORMED, e.getMessage());
                    }
                });
    }

    private SourceReading failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return SourceReading.failed(SourceProblem.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        }
        if (e instanceof LimitedBody.TooLarge || e.getCause() instanceof LimitedBody.TooLarge) {
            return SourceReading.failed(SourceProblem.MALFORMED, "body over " + MAX_BODY_BYTES + " bytes");
        }
        String what = e instanceof ConnectException ? "connection refused" : e.toString();
        return SourceReading.failed(SourceProblem.UNREACHABLE, what);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
