package io.chipwatch.jobs.testing;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A sink that keeps what it receives in memory, for jobs run on a MiniCluster in this JVM. */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, Queue<Object>> RESULTS = new ConcurrentHashMap<>();

    // The sink is serialized into the job; the id finds its queue again on the task side.
    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RESULTS.put(id, new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    public List<T> results() {
        return new ArrayList<>((Queue<T>) (Queue<?>) RESULTS.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = RESULTS.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
