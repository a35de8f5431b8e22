package io.chipwatch.jobs.testing;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * A keyed process function (keyed by a string: chip, node, rack) in Flink's operator test harness, a fresh one for
 * each test: a JUnit extension that opens it before the test and closes it after.
 *
 * <pre>
 * &#64;RegisterExtension
 * final KeyedHarness&lt;ChipReading, Anomaly&gt; rig = KeyedHarness.of(() -&gt; new SilenceDetector(CONFIG), ChipReading::node);
 * ...
 * rig.harness().processElement(reading, ts);
 * </pre>
 */
public final class KeyedHarness<IN, OUT> implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<? extends KeyedProcessFunction<String, IN, OUT>> function;
    private final KeySelector<IN, String> key;
    private KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness;

    private KeyedHarness(Supplier<? extends KeyedProcessFunction<String, IN, OUT>> function,
                         KeySelector<IN, String> key) {
        this.function = function;
        this.key = key;
    }

    /** The function {@code function} makes, keyed by {@code key}. */
    public static <IN, OUT> KeyedHarness<IN, OUT> of(Supplier<? extends KeyedProcessFunction<String, IN, OUT>> function,
                                                     KeySelector<IN, String> key) {
        return new KeyedHarness<>(function, key);
    }

    /** The open harness of the running test. */
    public KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness() {
        return harness;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(function.get(), key, Types.STRING);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        harness.close();
    }
}
