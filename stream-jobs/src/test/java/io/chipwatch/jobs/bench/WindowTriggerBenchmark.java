package io.chipwatch.jobs.bench;

import io.chipwatch.jobs.functions.FireAtWindowEnd;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One sample into Flink's window operator as the aggregation job's chip windows take it (10,000 chip keys, 10 s
 * tumbling event-time windows, an aggregate per window, a watermark every tick), fired by Flink's
 * {@link EventTimeTrigger} ({@code flink}: its own timer per sample besides the operator's cleanup timer) or by
 * {@link FireAtWindowEnd} ({@code cleanupTimerOnly}), same run. Run as {@link LinkEndsSerializerBenchmark} says,
 * with this class's name.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WindowTriggerBenchmark {
    private static final int CHIPS = 10_000;

    @Param({"flink", "cleanupTimerOnly"})
    public String trigger;

    private KeyedOneInputStreamOperatorTestHarness<String, String, Long> harness;
    private String[] chips;
    private int next;
    private long tick;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        chips = new String[CHIPS];
        for (int i = 0; i < CHIPS; i++) {
            chips[i] = String.format("p%02d-r%02d-n%02d-c%d", i / 2000, i / 80 % 25, i / 8 % 10, i % 8);
        }
        Trigger<Object, TimeWindow> t = "flink".equals(trigger) ? EventTimeTrigger.create() : FireAtWindowEnd.INSTANCE;
        KeySelector<String, String> key = s -> s;
        WindowOperatorBuilder<String, String, TimeWindow> builder = new WindowOperatorBuilder<>(
                TumblingEventTimeWindows.of(Duration.ofSeconds(10)), t, new ExecutionConfig(), Types.STRING, key,
                Types.STRING);
        builder.allowedLateness(Duration.ZERO);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(builder.aggregate(new Count(),
                (WindowFunction<Long, Long, String, TimeWindow>) (k, w, in, out) -> out.collect(in.iterator().next()),
                Types.LONG), key, Types.STRING);
        harness.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** One chip's sample of the current tick; after the last chip, the tick's watermark (which fires a window every 10). */
    @Benchmark
    public int sample() throws Exception {
        String chip = chips[next];
        // A new String per sample, as decoding makes one (its hash is computed afresh).
        harness.processElement(new StreamRecord<>(new String(chip), tick * 1000));
        if (++next == CHIPS) {
            next = 0;
            harness.processWatermark(new Watermark(tick * 1000 - 1));
            tick++;
            harness.getOutput().clear();
        }
        return next;
    }

    /** Counts a window's samples. */
    private static final class Count implements AggregateFunction<String, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(String value, Long acc) {
            return acc + 1;
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }
}
