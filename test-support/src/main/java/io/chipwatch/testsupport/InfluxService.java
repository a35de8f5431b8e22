package io.chipwatch.testsupport;

/**
 * A real InfluxDB (1.x API: /write, /query) a test talks to, from a container or a local process (the test cannot
 * tell). Get one from {@link TestInfrastructure} or as a parameter with {@link RealInfrastructureExtension}.
 *
 * <p>{@link #stop()} and {@link #start()} simulate an outage: afterwards the same {@link #url()} works again and
 * the data written before is still there. Only stop a {@link DedicatedInflux}: the shared one serves other tests
 * of the same JVM.
 */
public interface InfluxService {

    /** "http://host:port", the base of /ping, /write and /query. */
    String url();

    /** Creates a database; does nothing if it exists. */
    void createDatabase(String name);

    /** Stops the server, keeping its data; does nothing if it is stopped. */
    void stop();

    /** Starts the server again (same url, same data) and returns when /ping answers; no-op if it runs. */
    void start();
}
