package io.chipwatch.testsupport;

/**
 * An InfluxDB of one test alone, for tests that stop and restart it: from
 * {@link TestInfrastructure#dedicatedInflux()}, or as a parameter of this type with
 * {@link RealInfrastructureExtension} (closed after the test). {@link #close()} removes it and its data.
 */
public interface DedicatedInflux extends InfluxService, AutoCloseable {

    @Override
    void close();
}
