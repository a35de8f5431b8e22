package io.chipwatch.collector.publish;

import io.chipwatch.collector.output.FaultEventJson;
import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Publishes fault ground truth to Kafka: every onset and end as one record, key = fault id, value =
 * {@link FaultEventJson} (UTF-8). One partition by default, so the truth reads back in order. Creates the topic
 * when it is missing (the stack's broker does not auto-create topics).
 *
 * <p>{@link #accept} is called on the sampling thread and never blocks: records go through a single background
 * thread, and the producer retries for up to ten minutes, so a short broker outage loses no truth.
 */
public final class FaultTruthPublisher implements Consumer<FaultEvent>, AutoCloseable {
    /** The ground-truth topic of CONTRACTS.md §2. */
    public static final String DEFAULT_TOPIC = "fault-truth";
    private static final Logger LOG = LoggerFactory.getLogger(FaultTruthPublisher.class);

    private final String bootstrap;
    private final Path credentials;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fault-truth");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean topicChecked;

    public FaultTruthPublisher(String bootstrapServers, String topic) {
        this(bootstrapServers, null, topic);
    }

    /** With {@code credentials} (a Kafka credentials file, {@link KafkaClientSecurity}; null: PLAINTEXT). */
    public FaultTruthPublisher(String bootstrapServers, Path credentials, String topic) {
        this.bootstrap = bootstrapServers;
        this.credentials = credentials;
        this.topic = topic;
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(TimeUnit.MINUTES.toMillis(10)));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "chipwatch-collector-truth");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public String topic() {
        return topic;
    }

    @Override
    public void accept(FaultEvent event) {
        String value = FaultEventJson.toJson(event);
        executor.execute(() -> send(event.id(), value));
    }

    private void send(String key, String value) {
        if (!topicChecked) {
            ensureTopic();
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
                if (e == null) {
                    acknowledged.increment();
                } else {
                    failed.increment();
                    LOG.warn("fault truth {} not published to {}: {}", key, topic, e.toString());
                }
            });
            sent.increment();
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warn("fault truth {} not published to {}: {}", key, topic, e.toString());
        }
    }

    private void ensureTopic() {
        Properties p = KafkaClientSecurity.apply(new Properties(), credentials);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            LOG.info("created topic {}", topic);
            topicChecked = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                topicChecked = true;
            } else {
                LOG.warn("could not create topic {} (will try again with the next event): {}", topic, e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warn("could not create topic {} (will try again with the next event): {}", topic, e.toString());
        }
    }

    /** Events handed to the producer. */
    public long sent() {
        return sent.sum();
    }

    /** Events the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Events that could not be published. */
    public long failed() {
        return failed.sum();
    }

    /** Publishes what is queued (waiting up to {@code timeout}), then closes. */
    public void close(Duration timeout) {
        executor.shutdown();
        try {
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

}
