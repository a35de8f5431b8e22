package io.chipwatch.collector.sim;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadModelTest {
    private static final long START = SimulationConfig.DEFAULT_START_MILLIS;

    @Test
    void aboutThreeQuartersOfTheNodesAreBusyAtTheStart() {
        WorkloadModel model = new WorkloadModel(1250, 0.75, 1, START);
        model.advanceTo(START);
        assertThat(model.busyNodes() / 1250.0).isBetween(0.68, 0.85);
        assertNoOverlap(model.jobs(), 1250);
    }

    @Test
    void jobsStartAndStopWhileTheClusterStaysAboutThreeQuartersBusy() {
        int nodes = 250;
        WorkloadModel model = new WorkloadModel(nodes, 0.75, 3, START);
        Set<String> initial = new HashSet<>();
        model.jobs().forEach(j -> initial.add(j.id()));
        Set<String> seen = new HashSet<>(initial);
        // Twelve hours in one-minute steps.
        for (long t = START; t < START + 12 * 3_600_000L; t += 60_000) {
            model.advanceTo(t);
            assertNoOverlap(model.jobs(), nodes);
            for (Job job : model.jobs()) {
                assertThat(job.runningAt(t)).isTrue();
                seen.add(job.id());
            }
            assertThat(model.busyNodes() / (double) nodes).isBetween(0.45, 1.0);
        }
        Set<String> current = new HashSet<>();
        model.jobs().forEach(j -> current.add(j.id()));
        assertThat(initial).as("initial jobs have ended").isNotEqualTo(current);
        assertThat(seen.size()).as("jobs started during the run").isGreaterThan(initial.size() + 10);
        assertThat(model.busyNodes() / (double) nodes).isBetween(0.6, 0.95);
    }

    @Test
    void idleNodesHaveNoJobAndLowDemand() {
        WorkloadModel model = new WorkloadModel(100, 0.75, 1, START);
        model.advanceTo(START);
        int idle = 0;
        for (int n = 0; n < 100; n++) {
            int node = n;
            boolean owned = model.jobs().stream().anyMatch(j -> j.ownsNode(node));
            if (!owned) {
                idle++;
                assertThat(model.jobId(n)).isNull();
                assertThat(model.utilMean(n)).isLessThan(3);
            } else {
                assertThat(model.jobId(n)).isNotNull();
                assertThat(model.utilMean(n)).isGreaterThan(15);
            }
        }
        assertThat(idle).isPositive();
    }

    @Test
    void anEmptyOrFullTargetIsRespected() {
        WorkloadModel none = new WorkloadModel(50, 0.0, 1, START);
        none.advanceTo(START);
        assertThat(none.busyNodes()).isZero();
        WorkloadModel full = new WorkloadModel(50, 1.0, 1, START);
        full.advanceTo(START);
        assertThat(full.busyNodes()).isEqualTo(50);
    }

    private static void assertNoOverlap(List<Job> jobs, int nodes) {
        int[] owners = new int[nodes];
        int busy = 0;
        for (Job job : jobs) {
            assertThat(job.firstNode()).isGreaterThanOrEqualTo(0);
            assertThat(job.firstNode() + job.nodeCount()).isLessThanOrEqualTo(nodes);
            for (int n = job.firstNode(); n < job.firstNode() + job.nodeCount(); n++) {
                owners[n]++;
                busy++;
            }
        }
        for (int owner : owners) {
            assertThat(owner).isLessThanOrEqualTo(1);
        }
        assertThat(busy).isPositive();
    }
}
