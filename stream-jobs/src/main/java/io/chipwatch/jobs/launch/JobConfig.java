package io.chipwatch.jobs.launch;

/** A job's validated configuration: the settings every job has, and its own. */
public interface JobConfig {
    /** The settings every job has. */
    JobSettings job();
}
