package io.chipwatch.collector.publish;

import io.chipwatch.model.kafka.KafkaClientSecurity;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Publishes chip samples to a Kafka topic: key = chip id, so each chip's samples stay in order in one
 * partition; value = {@link ChipSampleCodec} bytes. The producer is idempotent with {@code acks=all}, so broker
 * failovers and retries neither lose nor duplicate samples.
 *
 * <p>{@link #publish} is meant to be called from a sampling loop and never blocks it for long: when the
 * producer cannot take a record within {@code max.block.ms} (broker down, buffer full) the record is counted as
 * failed and dropped, and so are the samples offered in the second after that, rather than stalling every later
 * sample in turn. {@link #publishWaiting} is for the sender thread behind a {@link SampleBuffer}: it waits for the
 * broker instead, while the buffer holds what the sampling loop offers meanwhile.
 *
 * <p>Counters: {@link #sent()} records the producer accepted, {@link #acknowledged()} records the broker
 * confirmed, {@link #failed()} records refused (not sent) plus records that failed after being sent. After
 * {@link #flush()}, {@code sent == acknowledged + (failed after sending)}.
 *
 * <p>The Kafka record timestamp is the send time; the sample's event time is inside the value, and consumers
 * (the stream jobs) should take event time from there. Thread-safe (one codec per calling thread).
 */
public final class KafkaSamplePublisher implements Consumer<ChipSample>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSamplePublisher.class);
    private static final long REFUSAL_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The pause between two tries of {@link #publishWaiting} (each try itself waits up to max.block.ms). */
    static final long WAIT_RETRY_MILLIS = 300;
    /** Set while this thread is inside {@code producer.send()}: a callback then is a refusal, not a failure. */
    private static final ThreadLocal<Boolean> IN_SEND = new ThreadLocal<>();

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ThreadLocal<ChipSampleCodec> codecs = ThreadLocal.withInitial(ChipSampleCodec::new);
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final ThrottledLog failureLog = new ThrottledLog(LOG);
    private final Callback callback = this::onCompletion;
    private final LongConsumer sendLatency;
    private volatile boolean closed;
    /** While System.nanoTime() is before this (and it is not 0), publish() drops samples without trying. */
    private volatile long refusingUntilNanos;

    private KafkaSamplePublisher(Builder b) {
        this.topic = b.topic;
        this.sendLatency = b.sendLatency;
        this.producer = new KafkaProducer<>(producerProperties(b), new StringSerializer(), new ByteArraySerializer());
    }

    /** The producer settings: the defaults below, then the builder's extra properties on top. */
    static Properties producerProperties(Builder b) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        // A 100k-chip tick is ~40 MB of records arriving in a burst: big batches, and room to hold a tick or two.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        // The sampling loop must not stall behind a dead broker: give up on a record quickly, count it, go on.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "200");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "chipwatch-collector");
        p.putAll(b.extraProperties);
        return p;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String topic() {
        return topic;
    }

    /**
     * Waits until the producer has metadata for the topic (the broker answers and the topic exists), so that the
     * first samples are not refused while the client is still connecting.
     *
     * @return whether the topic became available within {@code timeout}
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                // Blocks at most max.block.ms; throws while the broker is unreachable or the topic is missing.
                if (!producer.partitionsFor(topic).isEmpty()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.debug("topic {} not available yet: {}", topic, e.toString());
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Hands one sample to the producer. Returns quickly: at most {@code max.block.ms} when the producer's buffer
     * is full or the topic's metadata is unknown, in which case the sample is counted as failed and dropped.
     *
     * @return whether the producer accepted the sample (it may still fail later; see {@link #failed()})
     */
    public boolean publish(ChipSample sample) {
        if (refusingUntilNanos != 0 && System.nanoTime() - refusingUntilNanos < 0) {
            failed.increment();
            return false;
        }
        byte[] value = encode(sample);
        if (value == null) {
            return false;
        }
        if (send(sample, value) == Sent.ACCEPTED) {
            return true;
        }
        // Refused inside send() (no metadata or no buffer space within max.block.ms). Every following send would
        // wait max.block.ms too: at 100k samples a tick that is hours. Drop samples without trying for a while
        // instead, so a tick costs one blocked send.
        failed.increment();
        openBreaker();
        return false;
    }

    /**
     * Hands one sample to the producer, waiting while the producer refuses it (the broker is away: no metadata,
     * or its buffer is full), trying again every {@code max.block.ms} plus {@link #WAIT_RETRY_MILLIS}: for a sender
     * thread behind a {@link SampleBuffer}, which holds the samples offered meanwhile, so that a Kafka outage
     * shorter than the buffer loses nothing. Gives up (counted as failed) only when interrupted or closed.
     *
     * @return whether the producer accepted the sample
     */
    public boolean publishWaiting(ChipSample sample) {
        return publishWaiting(sample, Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * As {@link #publishWaiting(ChipSample)}, but gives up (counted as failed) once the producer has refused the
     * sample for longer than {@code patience}: for batch runs, which must not wait forever for a broker that is gone.
     */
    public boolean publishWaiting(ChipSample sample, Duration patience) {
        byte[] value = encode(sample);
        if (value == null) {
            return false;
        }
        long waitingSince = 0;
        for (Sent sent = send(sample, value); sent != Sent.ACCEPTED; sent = send(sample, value)) {
            if (sent == Sent.REFUSED) {
                // Not the broker's absence (closed, a record the broker can never take): waiting would not help.
                failed.increment();
                return false;
            }
            long now = System.nanoTime();
            if (waitingSince == 0) {
                waitingSince = now | 1;
            } else if (now - waitingSince > patience.toNanos()) {
                failed.increment();
                return false;
            }
            if (failureLog.claim()) {
                LOG.warn("Kafka refuses samples for {} (waiting {} s so far): holding them, retrying", topic,
                        TimeUnit.NANOSECONDS.toSeconds(now - waitingSince));
            }
            try {
                if (closed) {
                    throw new InterruptedException("closed");
                }
                Thread.sleep(WAIT_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.increment();
                return false;
            }
        }
        return true;
    }

    /** The sample's bytes, or null (counted as failed) when it cannot be encoded. */
    private byte[] encode(ChipSample sample) {
        try {
            return codecs.get().encode(sample);
        } catch (RuntimeException e) {
            recordFailure("could not encode sample of " + sample.chip(), e);
            return null;
        }
    }

    /** One {@code send()}; a refusal is for the caller to count or retry. */
    private Sent send(ChipSample sample, byte[] value) {
        Future<RecordMetadata> result;
        attempts.increment();
        try {
            // The record timestamp is left to the producer (send time): the event time travels in the value, and
            // brokers reject CreateTime stamps over an hour ahead (message.timestamp.after.max.ms), which
            // simulated runs racing ahead of the clock would produce.
            Callback cb = callback;
            if (sendLatency != null) {
                long start = System.nanoTime();
                cb = (metadata, exception) -> {
                    if (exception == null) {
                        sendLatency.accept(System.nanoTime() - start);
                    }
                    onCompletion(metadata, exception);
                };
            }
            IN_SEND.set(Boolean.TRUE);
            try {
                result = producer.send(new ProducerRecord<>(topic, sample.chip(), value), cb);
            } finally {
                IN_SEND.remove();
            }
        } catch (RuntimeException e) {
            // IllegalStateException after close, or a serializer/interrupt error: not counted by the callback.
            logFailure("send to " + topic + " refused", e);
            return Sent.REFUSED;
        }
        if (result.isDone()) {
            Throwable refusal = failure(result);
            if (refusal != null) {
                return refusal instanceof RetriableException ? Sent.REFUSED_FOR_NOW : Sent.REFUSED;
            }
        }
        sent.increment();
        return Sent.ACCEPTED;
    }

    private void openBreaker() {
        refusingUntilNanos = (System.nanoTime() + REFUSAL_BACKOFF_NANOS) | 1;
    }

    /** Why a completed send failed, or null when it did not. */
    private static Throwable failure(Future<RecordMetadata> done) {
        try {
            done.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** {@link #publish} as a sample sink. */
    @Override
    public void accept(ChipSample sample) {
        publish(sample);
    }

    private void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acknowledged.increment();
        } else if (IN_SEND.get() == null) {
            recordFailure("send to " + topic + " failed", exception);
        } else {
            // Refused inside send(), on the sending thread: publish counts it, publishWaiting tries again.
            logFailure("send to " + topic + " refused", exception);
        }
    }

    private void recordFailure(String what, Throwable e) {
        failed.increment();
        logFailure(what, e);
    }

    private void logFailure(String what, Throwable e) {
        failureLog.failure(what, e, failed.sum());
    }

    /** Blocks until every record handed to the producer so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Records accepted by the producer. */
    public long sent() {
        return sent.sum();
    }

    /** Records the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Records handed to the producer's send() (accepted or refused there), as opposed to dropped by the breaker. */
    long attempts() {
        return attempts.sum();
    }

    /** The first failure or refusal seen ("send to T failed: the exception"), or null when none was. */
    public String firstFailure() {
        return failureLog.first();
    }

    /** Records refused by the producer plus records that failed after being accepted. */
    public long failed() {
        return failed.sum();
    }

    /** Flushes outstanding records (waiting up to 30 s), then closes the producer. Idempotent. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Flushes outstanding records, waiting up to {@code timeout}, then closes the producer. Idempotent. */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        // close() waits for in-flight sends up to the timeout, which is the flush we want without a second wait.
        producer.close(timeout);
    }

    /** Collects a {@link KafkaSamplePublisher}'s settings; bootstrap servers and topic are required. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private final Map<String, Object> extraProperties = new LinkedHashMap<>();
        private LongConsumer sendLatency;

        private Builder() {
        }

        /** Told, on the producer's I/O thread, how many ns each acknowledged record took from send to ack. */
        public Builder sendLatencyListener(LongConsumer nanos) {
            this.sendLatency = nanos;
            return this;
        }

        /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * Authenticates with the credentials in {@code file} ({@link KafkaClientSecurity}); null: PLAINTEXT.
         */
        public Builder credentials(Path file) {
            extraProperties.putAll(KafkaClientSecurity.settings(file));
            return this;
        }

        /** A producer property that overrides the publisher's default for it. */
        public Builder producerProperty(String key, Object value) {
            extraProperties.put(key, value);
            return this;
        }

        /** Producer properties that override the publisher's defaults. */
        public Builder producerProperties(Map<String, ?> properties) {
            extraProperties.putAll(properties);
            return this;
        }

        /** Creates the producer; it connects lazily. */
        public KafkaSamplePublisher build() {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            return new KafkaSamplePublisher(this);
        }
    }
}
