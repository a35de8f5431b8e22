package io.chipwatch.testsupport;

/**
 * A Kafka broker of one test alone, for tests that stop and restart it: from
 * {@link TestInfrastructure#dedicatedKafka()}, or as a parameter of this type with
 * {@link RealInfrastructureExtension} (closed after the test). {@link #close()} removes it and its data.
 */
public interface DedicatedKafka extends KafkaService, AutoCloseable {

    @Override
    void close();
}
