package io.chipwatch.jobs.launch;

/**
 * A job's picocli command: an object annotated with the job's options (and the {@link CommonJobOptions} mixin)
 * that picocli fills in, then turns into the job's immutable, validated configuration.
 *
 * @param <C> the job's configuration
 */
public interface JobCommand<C extends JobConfig> {
    /**
     * The configuration of the parsed values.
     *
     * @throws IllegalArgumentException naming the option of an invalid value and what to pass
     */
    C toConfig();
}
