package io.chipwatch.cli.bench;

import io.chipwatch.cli.bench.BenchReport.Peer;
import io.chipwatch.cli.bench.BenchReport.Pipeline;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.infra.ChipwatchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench}'s two phases on the real local stack (a small cluster, short windows): the pipeline's figures come
 * from the real processes, Kafka and InfluxDB, and the peer's from a real Prometheus scraping the same collector.
 * Asserts what was measured, never how fast: the figures must be there and consistent, not small.
 */
class BenchIT {
    private static final int CHIPS = 80;

    @Test
    void measuresEveryComponentThenPrometheusOnTheSameCluster(@TempDir Path var) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8);
        LocalStack stack = new LocalStack(new StackLayout(ChipwatchHome.root(), var), progress);
        try {
            Pipeline p = new PipelinePhase(stack, 1, progress).run(CHIPS, Duration.ZERO, Duration.ofSeconds(30));
            // 80 chips x 11 values a second for ~30 s (the collector publishes on whole seconds).
            assertThat(p.values()).as(log.toString(StandardCharsets.UTF_8)).isBetween(880L * 25, 880L * 35);
            assertThat(p.components().keySet()).containsExactly(LocalStack.INFLUXDB, LocalStack.KAFKA,
                    LocalStack.ALERTMANAGER, LocalStack.FLINK, LocalStack.DETECTION, LocalStack.ALERTING);
            for (String jvm : List.of(LocalStack.KAFKA, LocalStack.FLINK, LocalStack.DETECTION)) {
                assertThat(p.components().get(jvm).cpuSeconds()).as(jvm).isPositive();
                assertThat(p.components().get(jvm).peakRssMb()).as(jvm).isGreaterThan(50);
            }
            double sum = p.components().values().stream().mapToDouble(BenchReport.Usage::cpuSeconds).sum();
            assertThat(p.cpuSeconds()).isBetween(sum - 0.01, sum + 0.01);
            assertThat(p.source()).as("the collector is reported apart").isNotNull();
            assertThat(p.windowsReadable()).isGreaterThanOrEqualTo(1);
            assertThat(p.freshnessP50S()).isBetween(0.0, 60.0);
            assertThat(p.freshnessP99S()).isGreaterThanOrEqualTo(p.freshnessP50S());
            assertThat(p.lag()).containsOnlyKeys(LocalStack.FLINK, LocalStack.DETECTION);
            assertThat(p.deadLetters()).isZero();

            Peer peer = new PeerPhase(stack, progress).run(stack.state(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofSeconds(20));
            // One scrape a second of 880 series (and Prometheus's 5 per-scrape series), ~20 scrapes.
            assertThat(peer.samples()).as(log.toString(StandardCharsets.UTF_8)).isBetween(885L * 15, 885L * 25);
            assertThat(peer.cpuSeconds()).isPositive();
            assertThat(peer.name()).startsWith("prometheus 2.");
            assertThat(stack.alive(stack.state(), LocalStack.FLINK)).as("the pipeline is stopped for the peer").isFalse();
        } finally {
            stack.down(true);
        }
    }
}
