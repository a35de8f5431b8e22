package io.chipwatch.cli.stack;

import io.chipwatch.alerting.pathwatch.KafkaTopicOffsets;
import io.chipwatch.infra.kafka.KafkaRole;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gathers what {@code status} says of the two stream jobs ({@code flink}, the aggregation job, and
 * {@code detection}) beyond RUNNING: each job's Flink REST API ({@link FlinkJobProgress}; in {@code up --cluster}
 * both on the JobManager's, told apart by name), its consumer group's lag behind the samples topic (alerting's
 * {@link KafkaTopicOffsets}, as the CLI's admin principal) and, for the aggregation job, the age of the newest chip
 * point, which the caller reads from InfluxDB. {@link JobHealth#judge} decides.
 */
public final class JobHealthCheck {
    /** The jobs' component names, with their Flink job names and consumer groups. */
    private static final Map<String, String[]> JOBS = Map.of(
            LocalStack.FLINK, new String[] {ClusterJobs.AGGREGATION_NAME, StackComponents.AGGREGATION_GROUP},
            LocalStack.DETECTION, new String[] {ClusterJobs.DETECTION_NAME, StackComponents.DETECTION_GROUP});
    /** The window the samples topic's ingest rate is measured over (as the path watch's). */
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private JobHealthCheck() {
    }

    /**
     * The health of both jobs, {@code flink} then {@code detection}.
     *
     * @param running         component → Flink lists the job RUNNING
     * @param kafkaUp         whether Kafka answers (otherwise no lag is read: each look-up would wait 5 s)
     * @param newestPointAgeS the newest chip point's age in seconds, null when none in 5 min or InfluxDB is down
     */
    public static Map<String, JobHealth> check(StackState state, Map<String, Boolean> running, boolean kafkaUp,
                                               Double newestPointAgeS) {
        Map<String, JobLag> lags = kafkaUp ? lags(state) : Map.of();
        Map<String, JobHealth> health = new LinkedHashMap<>();
        for (String job : new String[] {LocalStack.FLINK, LocalStack.DETECTION}) {
            boolean up = running.getOrDefault(job, false);
            FlinkJobProgress flink = up ? FlinkJobProgress.read(LocalStack.url(state, job), JOBS.get(job)[0])
                    .orElse(null) : null;
            health.put(job, JobHealth.judge(up, flink, lags.get(job), LocalStack.FLINK.equals(job),
                    newestPointAgeS, System.currentTimeMillis()));
        }
        return health;
    }

    /** Each job's lag; a job whose group committed nothing is missing, and all are when Kafka fails to answer. */
    private static Map<String, JobLag> lags(StackState state) {
        String bootstrap = LocalStack.url(state, LocalStack.KAFKA);
        if (bootstrap == null) {
            return Map.of();
        }
        Map<String, JobLag> lags = new HashMap<>();
        try (KafkaTopicOffsets kafka = new KafkaTopicOffsets(bootstrap,
                LocalStack.kafkaCredentials(state, KafkaRole.ADMIN))) {
            Map<Integer, Long> end = kafka.endOffsets(LocalStack.SAMPLES_TOPIC);
            double rate = kafka.ingestRatePerS(LocalStack.SAMPLES_TOPIC, RATE_WINDOW, System.currentTimeMillis());
            for (Map.Entry<String, String[]> job : JOBS.entrySet()) {
                JobLag lag = JobLag.of(end, kafka.committed(job.getValue()[1], LocalStack.SAMPLES_TOPIC), rate);
                if (lag != null) {
                    lags.put(job.getKey(), lag);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Kafka did not answer in time: no lag is shown; its own line says whether it is up.
        }
        return lags;
    }
}
