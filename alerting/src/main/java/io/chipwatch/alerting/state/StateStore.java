package io.chipwatch.alerting.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Durable key-value state of the alerting service: a compacted Kafka topic in production
 * ({@link KafkaStateStore}), memory in unit tests. Keys: {@code alert/<fingerprint>},
 * {@code nflog/<receiver>/<groupKey>}, {@code silence/<id>}, {@code resolved/<fingerprint>@<startMillis>};
 * values JSON ({@link StateCodec}); a null value deletes (a tombstone).
 */
public interface StateStore extends AutoCloseable {

    /** Everything stored, the latest value per key, deleted keys left out. Called once, at start. */
    Map<String, byte[]> load();

    /** Writes (or, with null, deletes) a key; the future completes once the write is durable. */
    CompletableFuture<Void> write(String key, byte[] value);

    @Override
    void close();
}
