package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.jobs.datatypes.RawRecord;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.WireFormatException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes Kafka record values into {@link ChipSample}s and {@linkplain SampleValidator validates} them, on a stream
 * keyed by the records' Kafka keys ({@link io.chipwatch.jobs.source.kafka.RawRecordKey}): a sample whose chip is not
 * its record's key is rejected ({@code KEY_MISMATCH}), so the output is partitioned by chip. A record
 * that cannot be used goes to the {@link #DEAD_LETTERS} side output as a {@link DeadLetter} (with its bytes and
 * source position) and is counted in the metric group {@code deadLetters}, one counter per
 * {@link DeadLetter.Reason#label() reason} (all but {@code late}, which the window stage counts). Nothing a producer
 * writes can make this function throw: a poison record must not stop the job.
 */
public class DecodeSamples extends KeyedProcessFunction<String, RawRecord, ChipSample> {
    private static final long serialVersionUID = 1L;

    /** Side output of the records that could not be decoded or failed validation. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Metric group holding one counter per dead-letter reason. */
    public static final String METRIC_GROUP = "deadLetters";

    private final SampleValidator validator;

    // The codec reuses buffers and is not thread-safe: one per parallel instance, made in open().
    private transient ChipSampleCodec codec;
    private transient Map<DeadLetter.Reason, Counter> deadLetterCounters;

    /** @param validator the checks a decoded sample must pass */
    public DecodeSamples(SampleValidator validator) {
        this.validator = validator;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ChipSampleCodec();
        // Registered up front so that every reason shows as 0 rather than being absent until first seen.
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
        deadLetterCounters = new EnumMap<>(DeadLetter.Reason.class);
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            if (reason != DeadLetter.Reason.LATE) {
                deadLetterCounters.put(reason, group.counter(reason.label()));
            }
        }
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<ChipSample> out) {
        ChipSample sample;
        try {
            sample = codec.decode(record.value());
        } catch (WireFormatException e) {
            reject(ctx, record, DeadLetter.Reason.of(e.reason()), e.getMessage());
            return;
        } catch (RuntimeException e) {
            // The codec maps Avro's failures to WireFormatException; this is the backstop for anything it
            // misses (e.g. a null id rejected by the ChipSample constructor), so that it cannot fail the job.
            reject(ctx, record, DeadLetter.Reason.MALFORMED_BODY, "decoded record is not a valid sample: " + e);
            return;
        }
        if (!sample.chip().equals(ctx.getCurrentKey())) {
            reject(ctx, record, DeadLetter.Reason.KEY_MISMATCH, "the record's key '" + ctx.getCurrentKey()
                    + "' is not the sample's chip '" + sample.chip() + "'; producers must key samples by chip id");
            return;
        }
        SampleValidator.Rejection rejection = validator.check(sample);
        if (rejection != null) {
            reject(ctx, record, rejection.reason(), rejection.message());
            return;
        }
        out.collect(sample);
    }

    /** The read-only counter of dead letters for {@code reason}; valid after {@link #open}. For tests. */
    Counter deadLetterCounter(DeadLetter.Reason reason) {
        return deadLetterCounters.get(reason);
    }

    private void reject(Context ctx, RawRecord record, DeadLetter.Reason reason, String message) {
        deadLetterCounters.get(reason).inc();
        ctx.output(DEAD_LETTERS, DeadLetter.of(record, reason, message));
    }
}
