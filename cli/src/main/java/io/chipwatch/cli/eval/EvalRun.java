package io.chipwatch.cli.eval;

import io.chipwatch.cli.stack.FlinkJvm;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.collector.publish.KafkaSamplePublisher;
import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.infra.KafkaAdmin;
import io.chipwatch.infra.LocalKafka;
import io.chipwatch.infra.kafka.KafkaAcls;
import io.chipwatch.infra.kafka.KafkaCredentialFiles;
import io.chipwatch.infra.kafka.KafkaRole;
import io.chipwatch.jobs.detection.DetectionJobArguments;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyCodec;
import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import io.chipwatch.model.wire.WireFormatException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One evaluation run through the real pipeline: the scenario is simulated (simulated time, as fast as it goes)
 * into a real Kafka topic, the real {@code DetectionJob} runs over it bounded on a local MiniCluster in its own
 * JVM (the same code and classpath as the stack's), and the anomalies are read back from the anomalies topic with
 * a {@code read_committed} consumer. The ground truth is taken from the simulator as it injects the faults.
 *
 * <p>Unless a broker is given, a temporary single-node Kafka is started in the work folder and stopped at the end.
 */
final class EvalRun {
    /** Main class of the detection job in the stream-jobs module. */
    static final String DETECTION_JOB = "io.chipwatch.jobs.detection.DetectionJob";
    static final String STREAM_JOBS = "stream-jobs";

    /** What to run. */
    record Options(Scenario scenario, SimulationConfig config, long ticks, String bootstrap, Path kafkaCredentials,
                   Path detectionConfig,
                   int parallelism, int partitions, Path workDir, Path root, Duration jobTimeout) {
    }

    /** What came out. */
    record Result(List<FaultEvent> truth, List<Anomaly> anomalies, long runEndMillis, long runMillis,
                  long samples, Duration publishTime, Duration detectTime) {
    }

    private final Options options;
    private final PrintStream log;
    /** The credentials file every Kafka client of the run uses (null: PLAINTEXT). */
    private Path credentials;

    EvalRun(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.credentials = options.kafkaCredentials();
    }

    Result run() throws Exception {
        Files.createDirectories(options.workDir());
        LocalKafka kafka = null;
        String bootstrap = options.bootstrap();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String samplesTopic = "eval-" + runId + "-samples";
        String anomaliesTopic = "eval-" + runId + "-anomalies";
        try {
            if (bootstrap == null) {
                long t0 = System.nanoTime();
                // Authenticated as the local stack's broker is: credentials of its own, in the work folder (mode
                // 600); every client of the run uses the admin principal.
                KafkaCredentialFiles files = new KafkaCredentialFiles(options.workDir().resolve("secrets"))
                        .createMissing();
                credentials = files.file(KafkaRole.ADMIN);
                kafka = LocalKafka.builder()
                        .dataDir(options.workDir().resolve("kafka"))
                        .maxHeap("768m")
                        .security(files.brokerSecurity(new KafkaAcls.Names(samplesTopic, "fault-truth",
                                "chip-samples-dead-letter", anomaliesTopic, "alerting-state", "eval-" + runId,
                                "eval-" + runId, "chipwatch-alerting", "eval-" + runId)))
                        .build()
                        .start();
                bootstrap = kafka.bootstrapServers();
                log.printf("eval: temporary Kafka broker at %s (%.1f s)%n", bootstrap, (System.nanoTime() - t0) / 1e9);
            }
            KafkaAdmin.createTopics(bootstrap, KafkaClientSecurity.settings(credentials), Map.of(samplesTopic, options.partitions(), anomaliesTopic, 1));

            List<FaultEvent> truth = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            long samples = publish(bootstrap, samplesTopic, truth);
            Duration publishTime = Duration.ofNanos(System.nanoTime() - t0);
            log.printf("eval: %,d samples of %d chips over %s of simulated time published in %.1f s%n", samples,
                    options.config().chips(), Duration.ofMillis(runMillis()), publishTime.toMillis() / 1000.0);

            t0 = System.nanoTime();
            runDetectionJob(bootstrap, samplesTopic, anomaliesTopic, runId);
            Duration detectTime = Duration.ofNanos(System.nanoTime() - t0);
            List<Anomaly> anomalies = readCommitted(bootstrap, credentials, anomaliesTopic);
            log.printf("eval: detection job done in %.1f s, %d anomaly events%n", detectTime.toMillis() / 1000.0,
                    anomalies.size());
            return new Result(List.copyOf(truth), anomalies, options.config().startMillis() + runMillis(),
                    runMillis(), samples, publishTime, detectTime);
        } finally {
            if (kafka != null) {
                kafka.stop();
            }
        }
    }

    private long runMillis() {
        return options.ticks() * options.config().sampleIntervalMillis();
    }

    /** Simulates the scenario into the topic; returns how many samples went out. */
    private long publish(String bootstrap, String topic, List<FaultEvent> truth) throws Exception {
        ClusterSimulator simulator = new ClusterSimulator(options.config());
        options.scenario().applyTo(simulator, options.config().startMillis());
        simulator.faultListener(truth::add);
        try (KafkaSamplePublisher publisher = KafkaSamplePublisher.builder()
                .bootstrapServers(bootstrap)
                .credentials(credentials)
                .topic(topic)
                // A batch run wants back-pressure, not dropped samples, when the producer's buffer is full.
                .producerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000")
                .build()) {
            if (!publisher.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("topic " + topic + " at " + bootstrap + " is not available");
            }
            for (long t = 0; t < options.ticks(); t++) {
                simulator.tick(publisher);
            }
            simulator.drain(publisher);
            publisher.flush();
            if (publisher.failed() > 0 || publisher.acknowledged() != publisher.sent()) {
                throw new IllegalStateException("published " + publisher.sent() + " samples but "
                        + publisher.acknowledged() + " were acknowledged, " + publisher.failed() + " failed");
            }
            return publisher.acknowledged();
        }
    }

    private void runDetectionJob(String bootstrap, String samplesTopic, String anomaliesTopic, String runId)
            throws Exception {
        StackLayout layout = new StackLayout(options.root());
        Path cpFile = layout.moduleClasspathFile(STREAM_JOBS);
        Path classes = layout.moduleClasses(STREAM_JOBS);
        if (!Files.exists(cpFile) || !Files.isDirectory(classes)) {
            throw new IllegalStateException(cpFile + " or " + classes + " is missing: build the project first "
                    + "(./telemetry builds it; or mvn -pl stream-jobs -am package -DskipTests)");
        }
        Path tmp = options.workDir().resolve("tmp");
        Files.createDirectories(tmp);
        Path jobLog = options.workDir().resolve("detection-job.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1536m");
        command.add("-XX:+UseParallelGC");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dchipwatch.root=" + options.root());
        command.add(FlinkJvm.rpcTimerTick());
        command.addAll(FlinkJvm.opens());
        command.add("-cp");
        command.add(classes + File.pathSeparator + Files.readString(cpFile).trim());
        command.add(DETECTION_JOB);
        command.addAll(new DetectionJobArguments()
                .bootstrapServers(bootstrap).kafkaCredentials(credentials)
                .topic(samplesTopic).anomaliesTopic(anomaliesTopic)
                .groupId("eval-" + runId).transactionalIdPrefix("eval-" + runId)
                .bounded(true).parallelism(options.parallelism())
                .checkpointInterval(Duration.ofSeconds(2))
                .checkpointDir(options.workDir().resolve("checkpoints"))
                // A replay: every partition has data until its end (a partition read in bursts must not look idle).
                .idleness(Duration.ZERO)
                // Simulated time, which may lie far from the job's clock: no timestamp guard (the chips are those
                // the simulator makes).
                .anyTime()
                .detectionConfigFile(options.detectionConfig() == null ? null
                        : options.detectionConfig().toAbsolutePath())
                .arguments());
        Process p = new ProcessBuilder(command)
                .directory(options.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(jobLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Thread killer = new Thread(p::destroyForcibly, "eval-job-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            if (!p.waitFor(options.jobTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the detection job did not finish within " + options.jobTimeout()
                        + "; its log: " + jobLog + "\n" + tail(jobLog));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the detection job failed (exit " + p.exitValue() + "); its log: "
                        + jobLog + "\n" + tail(jobLog));
            }
            List<String> errors = Files.readAllLines(jobLog, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(" ERROR ") || l.contains(" switched from RUNNING to FAILED")).toList();
            if (!errors.isEmpty()) {
                // The job recovered (it finished), but a restart deserves a look: say where the log is.
                log.printf("eval: the detection job logged %d errors or task failures and recovered; first: %s%n",
                        errors.size(), errors.get(0));
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
        }
    }

    /** Every committed anomaly event of the topic, decoded, in topic order. */
    static List<Anomaly> readCommitted(String bootstrap, Path credentials, String topic) throws WireFormatException {
        Map<String, Object> props = new HashMap<>(KafkaClientSecurity.settings(credentials));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AnomalyCodec codec = new AnomalyCodec();
        List<Anomaly> anomalies = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    anomalies.add(codec.decode(r.value()));
                }
            }
        }
        return anomalies;
    }


    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Deletes a folder tree, best effort. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
