package io.chipwatch.jobs.functions;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FireAtWindowEnd} in Flink's real window operator: each window fires once, when the watermark reaches its
 * last millisecond, exactly as with Flink's {@link EventTimeTrigger}, late elements going to the side output.
 */
class FireAtWindowEndTest {
    private static final OutputTag<Long> LATE = new OutputTag<>("late", Types.LONG);

    @Test
    void aWindowFiresOnceWhenTheWatermarkReachesItsLastMillisecond() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Long, Long, String> h = harness(FireAtWindowEnd.INSTANCE)) {
            h.processElement(new StreamRecord<>(10L, 1_000));
            h.processElement(new StreamRecord<>(20L, 9_999));
            h.processElement(new StreamRecord<>(30L, 10_000));
            h.processWatermark(new Watermark(9_998));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).as("one timer per window and key, the operator's cleanup timer")
                    .isEqualTo(2);

            h.processWatermark(new Watermark(9_999));
            assertThat(h.extractOutputValues()).containsExactly("key 0 window 0: 2 elements, sum 30");

            h.processElement(new StreamRecord<>(40L, 5_000));
            assertThat(h.getSideOutput(LATE)).extracting(StreamRecord::getValue).containsExactly(40L);

            h.processWatermark(new Watermark(30_000));
            assertThat(h.extractOutputValues()).containsExactly("key 0 window 0: 2 elements, sum 30",
                    "key 0 window 10000: 1 elements, sum 30");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void firesWhatFlinksEventTimeTriggerFiresOnARandomOutOfOrderStream() throws Exception {
        Random random = new Random(7);
        try (KeyedOneInputStreamOperatorTestHarness<Long, Long, String> flinks = harness(EventTimeTrigger.create());
             KeyedOneInputStreamOperatorTestHarness<Long, Long, String> ours = harness(FireAtWindowEnd.INSTANCE)) {
            long watermark = 0;
            for (int i = 0; i < 5_000; i++) {
                long ts = watermark + random.nextInt(4_000) - 500;
                long value = (random.nextInt(5) * 100L) + random.nextInt(100);
                flinks.processElement(new StreamRecord<>(value, ts));
                ours.processElement(new StreamRecord<>(value, ts));
                if (random.nextInt(20) == 0) {
                    watermark += random.nextInt(3_000);
                    flinks.processWatermark(new Watermark(watermark));
                    ours.processWatermark(new Watermark(watermark));
                }
            }
            flinks.processWatermark(new Watermark(Long.MAX_VALUE));
            ours.processWatermark(new Watermark(Long.MAX_VALUE));

            List<String> expected = flinks.extractOutputValues();
            assertThat(expected).hasSizeGreaterThan(100);
            assertThat(ours.extractOutputValues()).isEqualTo(expected);
            List<Long> lateExpected = lateValues(flinks);
            assertThat(lateExpected).isNotEmpty();
            assertThat(lateValues(ours)).isEqualTo(lateExpected);
        }
    }

    private static List<Long> lateValues(KeyedOneInputStreamOperatorTestHarness<Long, Long, String> h) {
        List<Long> late = new ArrayList<>();
        h.getSideOutput(LATE).forEach(r -> late.add(r.getValue()));
        return late;
    }

    /** Ten-second tumbling windows of longs keyed by their hundreds, summed, late elements to {@link #LATE}. */
    private static KeyedOneInputStreamOperatorTestHarness<Long, Long, String> harness(
            Trigger<Object, TimeWindow> trigger) throws Exception {
        WindowOperatorBuilder<Long, Long, TimeWindow> builder = new WindowOperatorBuilder<>(
                TumblingEventTimeWindows.of(Duration.ofSeconds(10)), trigger, new ExecutionConfig(), Types.LONG,
                v -> v / 100, Types.LONG);
        builder.allowedLateness(Duration.ZERO);
        builder.sideOutputLateData(LATE);
        KeyedOneInputStreamOperatorTestHarness<Long, Long, String> h = new KeyedOneInputStreamOperatorTestHarness<>(
                builder.process(new Describe()), v -> v / 100, Types.LONG);
        h.open();
        return h;
    }

    /** One line per fired window: its key, start, element count and sum. */
    private static final class Describe extends ProcessWindowFunction<Long, String, Long, TimeWindow> {
        @Override
        public void process(Long key, Context ctx, Iterable<Long> elements, Collector<String> out) {
            long n = 0;
            long sum = 0;
            for (long v : elements) {
                n++;
                sum += v;
            }
            out.collect("key " + key + " window " + ctx.window().getStart() + ": " + n + " elements, sum " + sum);
        }
    }
}
