package io.chipwatch.cli.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos on the real local stack under its real supervisor ({@code telemetry supervise}): {@code kill -9} of the
 * detection job's JVM, then of the aggregation job's, then of the collector. After each, the supervisor restarts it
 * (a job from its latest checkpoint) and counts it, and exactly one telemetry-path alert naming it is paged, firing
 * then resolved. At the end every sample that reached Kafka is in the {@code chip} aggregates exactly once (per chip
 * and window, the aggregate's {@code samples} equals the records in the topic).
 *
 * <p>Real faults are injected while a component is down: a {@code chip_down} right after the detection job's kill
 * (the restored job reads the samples it missed from Kafka and must page {@code ChipDown} for that chip, after the
 * fact), an {@code overheat} on another chip right after the aggregation job's (the detection job, still running,
 * must page {@code ChipOverheating}). Before the collector's kill, and again after its restart, the chip and node
 * pages are exactly those two: none for the outages themselves, none twice. The collector's restart ends both (the
 * new simulator has no live fault), so each may then be paged resolved, once. The restarted simulator goes on from
 * the dies' temperatures it saved ({@code --state-file}); before it did, it started them in equilibrium with a fresh
 * load, and a CI run saw 11 {@code ChipOverheating} pages within a second of the restart. The collector takes no
 * fault while it is dead: it is the simulator that applies them.
 * {@link StackPathChaosIT} does the same for InfluxDB, the alerting service and Kafka.
 */
class StackChaosIT {

    @Test
    // A failed run keeps its stack's directory (var/logs) to read why.
    void killedCollectorAndJobsAreRestartedPagedOnceAndLoseNothing(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path var) throws Exception {
        try (ChaosStack chaos = ChaosStack.up(var)) {
            long from = (System.currentTimeMillis() - 20_000) / ChaosStack.WINDOW_MS * ChaosStack.WINDOW_MS;

            // The detection job first: its after-the-fact telemetry_silent for the collector's gap is then decided by
            // a job that is not killed meanwhile (see the report of #14: killed while that alert was open, the
            // restored job once left it open).
            // A restarted job's alert resolves once it has caught up (its lag under the path watch's 60 s): at load
            // average 40-47 the aggregation job took 35 s for 73 s of samples, and was paged resolved 46 s after
            // its restart.
            Duration alertBound = Duration.ofSeconds(90);
            Duration pageBound = Duration.ofSeconds(90);
            ChaosFaults.Injected down = chaos.killInjectAndAwaitRecovery(LocalStack.DETECTION, "chip_down",
                    Duration.ofSeconds(150), alertBound);
            chaos.faults().awaitPaged(down, pageBound);
            ChaosFaults.Injected hot = chaos.killInjectAndAwaitRecovery(LocalStack.FLINK, "overheat",
                    Duration.ofSeconds(150), alertBound);
            chaos.faults().awaitPaged(hot, pageBound);
            // The two faults paged, nothing else (a few seconds for a repeat to show) ...
            Thread.sleep(5_000);
            chaos.faults().assertPagesAreTheInjectedFaults();
            chaos.killAndAwaitRecovery(LocalStack.COLLECTOR, Duration.ofSeconds(60), alertBound);

            chaos.assertExactCounts(from);
            // One alert per outage (a notification repeats the group's firing alerts when the group changes: the
            // alerting service's own collector watch joins the collector's alert when the restart takes > 10 s).
            chaos.awaitTelemetryAlertsResolved(Duration.ofSeconds(60));
            // ... and the collector's restart pages no chip or node (issue #14's first report: every node down; then
            // overheats, while the restarted simulator started its dies in equilibrium with a fresh load).
            chaos.faults().assertPagesAreTheInjectedFaults();
            Map<String, List<String>> alerts = chaos.telemetryAlerts();
            List<String> named = List.of(LocalStack.COLLECTOR, LocalStack.FLINK, LocalStack.DETECTION,
                    LocalStack.SAMPLES_TOPIC);
            assertThat(alerts.keySet()).as("telemetry-path alerts (the detection job's after-the-fact one for the "
                    + "samples topic may page too), pages %s", chaos.pages())
                    .allMatch(k -> named.contains(ChaosStack.entity(k)));
            for (String component : List.of(LocalStack.COLLECTOR, LocalStack.FLINK, LocalStack.DETECTION)) {
                chaos.assertOneAlertNaming(component);
            }
            // The restarted simulator went on from the dies' temperatures its predecessor saved.
            assertThat(Files.readString(new StackLayout(var.getParent(), var).log(LocalStack.COLLECTOR)))
                    .as("the collector's log").contains("dies' temperatures resumed from");
        }
    }
}
