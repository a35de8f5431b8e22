package io.chipwatch.testsupport;

/** What {@link TestInfrastructure} needs of a Kafka on top of the tests' view: whether it runs. */
interface ManagedKafka extends DedicatedKafka {

    boolean isRunning();
}
