package io.chipwatch.collector.sim;

/** The two kinds of workload the simulator runs; they differ in how utilisation and link load move over time. */
public enum JobKind {
    /** Synchronous data-parallel training: compute phases at high utilisation, then communication phases. */
    TRAINING("train"),
    /** Model serving: utilisation follows request load, which swings slowly. */
    INFERENCE("infer");

    private final String idPrefix;

    JobKind(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** Prefix of the ids of jobs of this kind, e.g. {@code train} in {@code train-00042}. */
    public String idPrefix() {
        return idPrefix;
    }
}
