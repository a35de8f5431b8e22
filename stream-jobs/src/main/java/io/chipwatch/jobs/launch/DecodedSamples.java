package io.chipwatch.jobs.launch;

import io.chipwatch.jobs.datatypes.ChipSampleSerializer;
import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.jobs.datatypes.StringKeySerializer;
import io.chipwatch.jobs.functions.DecodeSamples;
import io.chipwatch.jobs.functions.SampleTimestamps;
import io.chipwatch.jobs.functions.SampleValidator;
import io.chipwatch.jobs.source.kafka.RawRecordKey;
import io.chipwatch.model.sample.ChipSample;
import java.time.Duration;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The front every job's graph starts with: raw records with event time and per-partition watermarks from the
 * sample times, keyed by their record key (the chip id), decoded and validated once on the subtask that handles
 * their chip.
 *
 * <pre>
 * source "chip-samples" (uid chip-samples-source) -> keyBy(record key) -> DecodeSamples (uid decode-samples)
 *   -> samples by chip (no second shuffle)
 *   -> (side output) dead letters: records that do not decode or validate
 * </pre>
 *
 * @param decoded the decoding operator, whose side output holds the rejected records
 * @param byChip  the decoded samples, keyed by chip
 */
public record DecodedSamples(SingleOutputStreamOperator<ChipSample> decoded, KeyedStream<ChipSample, String> byChip) {

    /**
     * Adds the front to {@code env}: {@code records} with watermarks that allow {@code settings}' out-of-orderness
     * and idleness, decoded and checked by {@code validator}.
     */
    public static DecodedSamples from(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> records,
                                      JobSettings settings, SampleValidator validator) {
        // Event time and watermarks come from the source, per Kafka partition (see SampleTimestamps for why).
        // Records cross the network as the bytes they arrived as, partitioned by their Kafka key (the chip id), and
        // are decoded once, on the subtask that handles their chip: decoding before the shuffle would serialize
        // every sample's 20-odd strings field by field, twice.
        SingleOutputStreamOperator<ChipSample> decoded = env
                .fromSource(records, SampleTimestamps.watermarks(settings.outOfOrderness(), settings.idleness(),
                        settings.bounded() ? Duration.ZERO : settings.tickQuiet(),
                        validator), "chip-samples")
                .uid("chip-samples-source")
                .keyBy(new RawRecordKey(), StringKeySerializer.KEY_TYPE)
                // Samples are immutable: their serializer hands them to chained operators without a copy.
                .process(new DecodeSamples(validator), ChipSampleSerializer.TYPE_INFO)
                .name("decode-samples").uid("decode-samples");
        // DecodeSamples passes on only samples whose chip is their record's key, on the subtask of that key: the
        // stream is still partitioned by chip, and reinterpreting it as keyed saves a second shuffle.
        return new DecodedSamples(decoded,
                DataStreamUtils.reinterpretAsKeyedStream(decoded, ChipSample::chip, StringKeySerializer.KEY_TYPE));
    }

    /** The records DecodeSamples rejected, with their reasons. */
    public DataStream<DeadLetter> deadLetters() {
        return decoded.getSideOutput(DecodeSamples.DEAD_LETTERS);
    }
}
