package io.chipwatch.cli.bench;

import io.chipwatch.cli.bench.BenchReport.CatchUp;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.UpOptions;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catching up after an outage: both Flink jobs stopped for a while (the collector keeps publishing, so a backlog
 * builds up in Kafka), then started again as {@code up} starts them (restoring their latest checkpoints), and the
 * time until each job is back to real time: its consumer lag no more than five seconds of records above what it was
 * before the outage (the jobs commit offsets on checkpoints, so "real time" still lags by about one interval).
 */
final class OutagePhase {
    private static final Duration POLL = Duration.ofSeconds(2);

    private final LocalStack stack;
    private final PrintStream progress;

    OutagePhase(LocalStack stack, PrintStream progress) {
        this.stack = stack;
        this.progress = progress;
    }

    /**
     * @param baselineLag each job's lag before the outage (records)
     * @param rate        records a second the collector publishes
     * @param limit       how long to wait for both to catch up after the restart
     */
    CatchUp run(StackState state, UpOptions options, Map<String, Long> baselineLag, double rate, Duration outage,
                Duration limit) throws Exception {
        try (KafkaProbe kafka = new KafkaProbe(LocalStack.url(state, LocalStack.KAFKA),
                LocalStack.kafkaAdminSettings(state))) {
            progress.printf("bench: outage: stopping both jobs for %d s%n", outage.toSeconds());
            stack.stop(state, LocalStack.DETECTION);
            stack.stop(state, LocalStack.FLINK);
            PipelinePhase.sleep(outage);
            Map<String, Long> backlog = lags(kafka);
            progress.printf("bench: outage over, backlog %s; restarting the jobs%n", backlog);
            long t0 = System.nanoTime();
            stack.up(options);
            double restartS = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> caughtUp = new LinkedHashMap<>();
            long deadline = t0 + limit.toNanos();
            while (caughtUp.size() < PipelinePhase.JOB_GROUPS.size() && System.nanoTime() < deadline) {
                Map<String, Long> lags = lags(kafka);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                for (Map.Entry<String, Long> e : lags.entrySet()) {
                    long target = baselineLag.getOrDefault(e.getKey(), 0L) + (long) (5 * rate);
                    if (!caughtUp.containsKey(e.getKey()) && e.getValue() >= 0 && e.getValue() <= target) {
                        caughtUp.put(e.getKey(), PipelinePhase.round(elapsed));
                        progress.printf("bench:   %s back to real time %.0f s after the restart%n", e.getKey(), elapsed);
                    }
                }
                progress.printf("bench:   %3.0f s after the restart: lag %s%n", elapsed, lags);
                PipelinePhase.sleep(POLL);
            }
            Map<String, CatchUp.Job> jobs = new LinkedHashMap<>();
            backlog.forEach((job, records) -> jobs.put(job, new CatchUp.Job(records,
                    PipelinePhase.round(records / rate), caughtUp.get(job))));
            boolean all = caughtUp.size() == PipelinePhase.JOB_GROUPS.size();
            return new CatchUp(outage.toSeconds(), PipelinePhase.round(restartS), limit.toSeconds(), jobs, all);
        }
    }

    private static Map<String, Long> lags(KafkaProbe kafka) {
        Map<String, Long> lags = new LinkedHashMap<>();
        PipelinePhase.JOB_GROUPS.forEach((job, group) -> lags.put(job, kafka.lag(group, LocalStack.SAMPLES_TOPIC)));
        return lags;
    }
}
