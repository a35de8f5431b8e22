/**
 * What every Chipwatch job shares around its own graph: the options both take (picocli mixin
 * {@link io.chipwatch.jobs.launch.CommonJobOptions}, validated into {@link io.chipwatch.jobs.launch.JobSettings}),
 * the typed builder of a job's command line ({@link io.chipwatch.jobs.launch.JobArguments}), {@code main}
 * ({@link io.chipwatch.jobs.launch.JobLauncher}), the environment, checkpoints and Kafka source
 * ({@link io.chipwatch.jobs.launch.JobEnvironment}) and the decode front of the graphs
 * ({@link io.chipwatch.jobs.launch.DecodedSamples}).
 */
package io.chipwatch.jobs.launch;
