package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.DeadLetter;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns the samples that the chip windows rejected as late into {@link DeadLetter.Reason#LATE LATE} dead letters,
 * so that none is dropped silently: each is counted in {@code deadLetters.late} and written to the dead-letter topic,
 * re-encoded in the current wire format (the bytes a producer of that version sends) with the chip id as key.
 *
 * <p>A sample is late when the watermark had already passed the end of its window when it arrived: it came more
 * than the out-of-orderness bound after a newer sample of its Kafka partition. Its window has been written and will
 * not change; replaying the dead letter after a fix would need the window to be rewritten.
 */
public class LateSamples extends ProcessFunction<ChipSample, DeadLetter> {
    private static final long serialVersionUID = 1L;

    /** The side output of the chip window stage holding the samples it found late. */
    public static final OutputTag<ChipSample> LATE_SAMPLES =
            new OutputTag<>("late-samples", TypeInformation.of(ChipSample.class));

    private final long windowMillis;
    private final Duration outOfOrderness;
    private transient ChipSampleCodec codec;
    private transient Counter late;

    public LateSamples(Duration windowSize, Duration outOfOrderness) {
        this.windowMillis = windowSize.toMillis();
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ChipSampleCodec();
        late = getRuntimeContext().getMetricGroup().addGroup(DecodeSamples.METRIC_GROUP)
                .counter(DeadLetter.Reason.LATE.label());
    }

    @Override
    public void processElement(ChipSample sample, Context ctx, Collector<DeadLetter> out) {
        late.inc();
        long windowStart = Math.floorDiv(sample.timestampMillis(), windowMillis) * windowMillis;
        String message = "sample at " + Instant.ofEpochMilli(sample.timestampMillis()) + " arrived after its window ["
                + Instant.ofEpochMilli(windowStart) + ", " + Instant.ofEpochMilli(windowStart + windowMillis)
                + ") had closed (watermark " + Instant.ofEpochMilli(ctx.timerService().currentWatermark())
                + "; samples may be at most " + outOfOrderness.toMillis() + " ms out of order)";
        out.collect(new DeadLetter(DeadLetter.Reason.LATE, message, sample.chip().getBytes(StandardCharsets.UTF_8),
                codec.encode(sample), null, -1, -1));
    }

    /** The counter of late samples; valid after {@link #open}. For tests. */
    Counter lateCounter() {
        return late;
    }
}
