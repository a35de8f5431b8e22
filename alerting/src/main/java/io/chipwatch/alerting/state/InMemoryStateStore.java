package io.chipwatch.alerting.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@link StateStore} in memory: for unit tests, and to hand one instance's state to the next in a test. */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, byte[]> data = new LinkedHashMap<>();

    @Override
    public synchronized Map<String, byte[]> load() {
        return new LinkedHashMap<>(data);
    }

    @Override
    public synchronized CompletableFuture<Void> write(String key, byte[] value) {
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, value);
        }
        return CompletableFuture.completedFuture(null);
    }

    public synchronized int size() {
        return data.size();
    }

    @Override
    public void close() {
    }
}
