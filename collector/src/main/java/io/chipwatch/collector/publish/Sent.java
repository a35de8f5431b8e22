package io.chipwatch.collector.publish;

/** How one {@code send()} of a {@link KafkaSamplePublisher} went. */
enum Sent {
    /** Taken by the producer (a failure after that is counted by the callback). */
    ACCEPTED,
    /** Refused for now (no metadata or no buffer space within {@code max.block.ms}: the broker is away). */
    REFUSED_FOR_NOW,
    /** Refused for good (closed, a serializer error, a record the broker can never take). */
    REFUSED
}
