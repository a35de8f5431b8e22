package io.chipwatch.testsupport;

/** What {@link TestInfrastructure} needs of an InfluxDB on top of the tests' view: whether it runs. */
interface ManagedInflux extends DedicatedInflux {

    boolean isRunning();
}
