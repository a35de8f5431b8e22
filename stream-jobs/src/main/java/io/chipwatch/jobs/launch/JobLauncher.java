package io.chipwatch.jobs.launch;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code main} of every job: parse the options, or print what is wrong and the usage to stderr and exit with
 * status 2 (picocli's usage-error status); print the usage for {@code --help}; otherwise create the environment,
 * add the job's graph and run it until it ends (bounded) or is cancelled.
 */
public final class JobLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    /** Exit status of a usage error. */
    public static final int USAGE_ERROR = 2;

    private JobLauncher() {
    }

    /**
     * Runs the job named {@code jobName}, whose options {@code command} parses and whose data flow {@code graph}
     * adds to the environment.
     */
    public static <C extends JobConfig> void run(String jobName, JobCommand<C> command, String[] args,
                                                 BiConsumer<StreamExecutionEnvironment, C> graph) throws Exception {
        JobCommandLine<C> commandLine = new JobCommandLine<>(command);
        C config;
        try {
            if (commandLine.parseArgs(List.of(args))) {
                System.out.print(commandLine.usage());
                return;
            }
            config = commandLine.config();
        } catch (JobUsageException e) {
            // A usage error: the message says what to fix; a stack trace would only bury it.
            System.err.println(jobName + ": " + e.getMessage());
            System.err.print(commandLine.usage());
            System.exit(USAGE_ERROR);
            return;
        }
        LOG.info("Starting {} with {}", jobName, config);
        StreamExecutionEnvironment env = JobEnvironment.create(config.job());
        graph.accept(env, config);
        env.execute(jobName);
    }
}
