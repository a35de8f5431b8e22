package io.chipwatch.jobs.launch;

import io.chipwatch.jobs.checkpoint.CheckpointSettings;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.metrics.PipelineMetrics;
import io.chipwatch.jobs.source.kafka.RawRecordDeserializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What every job sets up the same way from its {@link JobSettings}: the environment it runs in, checkpointing,
 * parallelism and serialization rules, and the Kafka source of raw sample records.
 */
public final class JobEnvironment {
    /** Where the local web UI and REST API bind unless {@code --web-address} says otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private JobEnvironment() {
    }

    /**
     * The environment {@code main} runs in: a local one serving the web UI when a web port is set (on loopback, read
     * only: {@link #webConfiguration}), otherwise
     * whatever {@link StreamExecutionEnvironment#getExecutionEnvironment()} gives (local, or the cluster the job was
     * submitted to); {@link #configure configured}. With an InfluxDB URL, a local one writes the job's self-metrics
     * there ({@link PipelineMetrics}) unless the metrics interval is zero.
     */
    public static StreamExecutionEnvironment create(JobSettings settings) {
        // Metric reporters belong to the cluster: this configuration reaches them only where the environment starts
        // its own MiniCluster (local mode). A session cluster gets them from its own configuration (flink.sh).
        Configuration conf = new Configuration();
        if (settings.influxUrl().isPresent() && !settings.metricsInterval().isZero()) {
            conf.addAll(PipelineMetrics.reporterConfiguration(settings.influxUrl().get(), settings.influxDatabase(),
                    settings.influxCredentialsFile(), settings.metricsInterval()));
        }
        StreamExecutionEnvironment env;
        if (settings.webPort() > 0) {
            conf.addAll(webConfiguration(settings.webPort(), settings.webAddress()));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            // A local MiniCluster (eval, tests) binds its internal servers to loopback too; ignored by a remote cluster.
            conf.addAll(bindConfiguration(settings.webAddress()));
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        configure(env, settings);
        return env;
    }

    /**
     * The local web UI's and REST API's settings: bound to and advertised at {@code address} (loopback unless
     * configured), as the MiniCluster's other servers ({@link #bindConfiguration}), on {@code port}, with jar upload and run, job cancellation and rescaling from the UI off. The API
     * has no authentication, so anyone who reaches it could otherwise run code in this JVM; the jobs are started by
     * their launcher ({@code ./telemetry up}, {@code flink run}), never through it, and stopped by stopping it.
     */
    public static Configuration webConfiguration(int port, String address) {
        Configuration conf = bindConfiguration(address);
        conf.set(RestOptions.PORT, port);
        conf.set(RestOptions.BIND_ADDRESS, address);
        conf.set(RestOptions.ADDRESS, address);
        conf.set(WebOptions.SUBMIT_ENABLE, false);
        conf.set(WebOptions.CANCEL_ENABLE, false);
        conf.set(WebOptions.RESCALE_ENABLE, false);
        return conf;
    }

    /**
     * Where a local MiniCluster's own servers bind: the JobManager's (its blob server, which Flink otherwise opens on
     * every interface) and the TaskManager's.
     */
    public static Configuration bindConfiguration(String address) {
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.BIND_HOST, address);
        conf.set(TaskManagerOptions.BIND_HOST, address);
        return conf;
    }

    /**
     * Exactly-once checkpoints at the configured interval (storage and recovery as {@link CheckpointSettings} lays
     * down), the parallelism, no Kryo, and object reuse.
     *
     * @throws UncheckedIOException if the checkpoint directory cannot be searched or the temporary one created
     */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
        Configuration conf = new Configuration();
        // Every type in the jobs has a Flink serializer. Forbidding the Kryo fallback keeps it that way: a new
        // field of an unsupported type fails at job build time instead of silently slowing the job down (and
        // Kryo needs --add-opens on Java 17 for JDK collections).
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Every record between operators is an immutable Java record (or holds byte arrays nobody writes to), so a
        // chained operator may take its input as is instead of a deep copy: object reuse saves a copy per record
        // per chained edge. An operator must never mutate its input or keep a mutable object it emitted.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        if (!settings.bounded() && !settings.tickQuiet().isZero()) {
            // The tick-quiet rule is checked when watermarks are emitted: often enough that it adds little to it.
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL,
                    Duration.ofMillis(Math.max(10, Math.min(200, settings.tickQuiet().toMillis() / 3))));
        }
        CheckpointSettings.apply(conf, settings.checkpointDir().map(URI::toString), settings.restoreLatest());
        env.configure(conf);
        env.enableCheckpointing(settings.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        settings.parallelism().ifPresent(env::setParallelism);
    }

    /**
     * Kafka client settings as the connector's builders take them: the job's security settings
     * ({@link JobSettings#kafkaSecurity()}), the same for its source and sinks.
     */
    public static Properties properties(Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        return p;
    }

    /** Reads raw records; from the group's committed offsets, or the earliest ones for a new group. */
    public static KafkaSource<RawRecord> kafkaSource(JobSettings settings) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.topic())
                .setGroupId(settings.groupId())
                .setProperties(properties(settings.kafkaSecurity()))
                // Earliest for a new group: a first start must not skip samples already in the topic.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer());
        if (settings.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
