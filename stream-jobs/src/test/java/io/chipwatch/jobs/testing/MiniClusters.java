package io.chipwatch.jobs.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the job tests run on: one TaskManager with a few slots. */
public final class MiniClusters {
    private MiniClusters() {
    }

    /** A MiniCluster of one TaskManager with {@code slots} slots, for {@code @RegisterExtension}. */
    public static MiniClusterExtension withSlots(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }
}
