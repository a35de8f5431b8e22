package io.chipwatch.jobs.functions;

import io.chipwatch.jobs.datatypes.Level;
import io.chipwatch.jobs.datatypes.Rollup;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key that groups rows into the roll-up of {@code level}: the row's node, rack, pod or job id, or one constant
 * key for the whole cluster. Ids are assumed unique across the cluster (the topology's are: a node id contains its
 * rack's and pod's).
 */
public final class RollupKey implements KeySelector<Rollup, String> {
    private static final long serialVersionUID = 1L;

    /** The one key of the cluster roll-up. */
    static final String CLUSTER_KEY = "cluster";

    private final Level level;

    public RollupKey(Level level) {
        this.level = level;
    }

    @Override
    public String getKey(Rollup r) {
        return switch (level) {
            case NODE -> r.node();
            case RACK -> r.rack();
            case POD -> r.pod();
            case CLUSTER -> CLUSTER_KEY;
            case JOB -> r.job();
            case CHIP -> throw new IllegalArgumentException("chips are not rolled up by this key");
        };
    }
}
