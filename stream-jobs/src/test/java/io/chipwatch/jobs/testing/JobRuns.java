package io.chipwatch.jobs.testing;

import io.chipwatch.jobs.launch.JobConfig;
import io.chipwatch.jobs.launch.JobEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.function.BiConsumer;

/** A job's graph in the test's environment (the MiniCluster of the test class), configured as {@code main} does. */
public final class JobRuns {
    private JobRuns() {
    }

    /** The current environment, configured by {@code config} (checkpoints, parallelism), with {@code graph} added. */
    public static <C extends JobConfig> StreamExecutionEnvironment built(C config,
                                                                         BiConsumer<StreamExecutionEnvironment, C> graph) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, config.job());
        graph.accept(env, config);
        return env;
    }
}
