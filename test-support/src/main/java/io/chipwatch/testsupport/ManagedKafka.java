package io.chipwatch.testsupport;

/** A Kafka as {@link TestInfrastructure} manages it: the tests' view, and whether it runs. */
interface ManagedKafka extends DedicatedKafka, ManagedService {
}
