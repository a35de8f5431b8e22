package io.chipwatch.jobs.testing;

import java.io.Serializable;

/** A Kafka record to send: key = chip id, value = codec bytes (or anything else, for bad records; null = tombstone). */
public record KeyedValue(String chip, byte[] value) implements Serializable {
}
