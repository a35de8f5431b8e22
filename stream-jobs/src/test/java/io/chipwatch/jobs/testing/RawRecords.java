package io.chipwatch.jobs.testing;

import io.chipwatch.jobs.datatypes.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** In-memory raw records in place of the Kafka source, for a job's whole graph on a MiniCluster. */
public final class RawRecords {
    private RawRecords() {
    }

    /**
     * A source of {@code records}, as if read from partition 0 of {@code chip-samples}; with parallelism, each
     * source subtask reads a contiguous slice in order, like one Kafka partition.
     */
    public static DataGeneratorSource<RawRecord> source(List<KeyedValue> records) {
        GeneratorFunction<Long, RawRecord> toRecord = i -> new RawRecord("chip-samples", 0, i, 0L,
                records.get(i.intValue()).chip().getBytes(StandardCharsets.UTF_8), records.get(i.intValue()).value());
        return new DataGeneratorSource<>(toRecord, records.size(), TypeInformation.of(RawRecord.class));
    }

    /**
     * As {@link #source(List)}, at most {@code perSecond} records a second: a short input then spans several
     * periodic watermarks instead of ending (watermark at the end of time) before the first.
     */
    public static DataGeneratorSource<RawRecord> source(List<KeyedValue> records, double perSecond) {
        GeneratorFunction<Long, RawRecord> toRecord = i -> new RawRecord("chip-samples", 0, i, 0L,
                records.get(i.intValue()).chip().getBytes(StandardCharsets.UTF_8), records.get(i.intValue()).value());
        return new DataGeneratorSource<>(toRecord, records.size(), RateLimiterStrategy.perSecond(perSecond),
                TypeInformation.of(RawRecord.class));
    }
}
