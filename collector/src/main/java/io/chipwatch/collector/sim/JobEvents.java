package io.chipwatch.collector.sim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A scenario's job starts and stops ({@link JobEvent}), played on the {@link WorkloadModel} when their time
 * comes. A {@code random…} job to stop is drawn from the seed among the jobs running at that instant.
 */
final class JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private static final long STREAM_JOB_EVENTS = -8;

    private final WorkloadModel workload;
    private final long seed;
    private final Noise noise = new Noise();
    private final List<JobEvent> events = new ArrayList<>();
    private int done;

    JobEvents(WorkloadModel workload, long seed) {
        this.workload = workload;
        this.seed = seed;
    }

    /** Adds an event; those at the same instant run in the order they were added. */
    void schedule(JobEvent event) {
        events.add(event);
        events.subList(done, events.size()).sort(Comparator.comparingLong(JobEvent::atMillis));
    }

    /** Runs the events due at {@code now}. */
    void runTo(long now) {
        while (done < events.size() && events.get(done).atMillis() <= now) {
            JobEvent e = events.get(done++);
            if (e.action() == JobEvent.Action.START) {
                start(e, now);
            } else {
                stop(e, now);
            }
        }
    }

    private void start(JobEvent e, long now) {
        Job job = workload.startJob(e.kind(), e.nodes(), now, e.durationMillis());
        if (job == null) {
            LOG.warn("job_start at {}: no free node, not started", now);
        } else {
            LOG.info("job_start at {}: {} on {} node(s)", now, job.id(), job.nodeCount());
        }
    }

    private void stop(JobEvent e, long now) {
        String id = e.job();
        if (id.startsWith("random")) {
            List<Job> candidates = new ArrayList<>();
            for (Job j : workload.jobs()) {
                if (id.equals("random-job") || id.equals("random-" + j.kind().name().toLowerCase(Locale.ROOT) + "-job")) {
                    candidates.add(j);
                }
            }
            noise.reset(seed, STREAM_JOB_EVENTS, done);
            id = candidates.isEmpty() ? null : candidates.get((int) (noise.uniform() * candidates.size())).id();
        }
        if (id == null || !workload.stopJob(id, now)) {
            LOG.warn("job_stop at {}: no running job {}", now, e.job());
        } else {
            LOG.info("job_stop at {}: {}", now, id);
        }
    }
}
