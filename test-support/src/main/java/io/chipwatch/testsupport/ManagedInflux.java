package io.chipwatch.testsupport;

/** An InfluxDB as {@link TestInfrastructure} manages it: the tests' view, and whether it runs. */
interface ManagedInflux extends DedicatedInflux, ManagedService {
}
