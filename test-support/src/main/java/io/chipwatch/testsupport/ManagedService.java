package io.chipwatch.testsupport;

/**
 * What {@link TestInfrastructure} needs of every server it hands out, on top of the tests' view: whether it runs,
 * starting it again, and closing it at the end.
 */
interface ManagedService extends AutoCloseable {

    boolean isRunning();

    /** Stops the server, keeping its data; does nothing if it is stopped. */
    void stop();

    /** Starts the server again (same address, same data) and returns when it answers; no-op if it runs. */
    void start();

    /** Stops the server and removes it with its data. */
    @Override
    void close();
}
