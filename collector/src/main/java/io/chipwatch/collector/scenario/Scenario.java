package io.chipwatch.collector.scenario;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultRequest;
import io.chipwatch.collector.sim.JobEvent;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.JobKind;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.fault.FaultType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scenario: optionally the cluster to simulate, how long to run, and the faults and job events to play, at
 * offsets from the run's start. Loaded from YAML by {@link ScenarioLoader} (format: {@code scenarios/README.md}).
 *
 * @param name           the scenario's name (its file name without extension unless given)
 * @param description    free text, may be empty
 * @param chips          cluster size, or null for the command line's
 * @param seed           random seed, or null for the command line's
 * @param intervalMillis sampling interval, or null for the command line's
 * @param busyFraction   share of nodes running jobs, or null for the default
 * @param imperfections  which imperfections of real telemetry the data carries (docs/SIMULATOR.md); all unless
 *                       the file turns some off
 * @param durationMillis how long the scenario runs
 * @param faults         the faults, in file order
 * @param events         the job events, in file order
 */
public record Scenario(String name, String description, Integer chips, Long seed, Long intervalMillis,
                       Double busyFraction, Imperfections imperfections, long durationMillis, List<Fault> faults,
                       List<Event> events) {

    public Scenario {
        Objects.requireNonNull(imperfections, "imperfections");
        faults = List.copyOf(faults);
        events = List.copyOf(events);
    }

    /**
     * One fault of the scenario.
     *
     * @param type           the fault
     * @param target         entity id or selector ({@code random-chip}, …)
     * @param atMillis       offset from the start
     * @param durationMillis how long; 0 = until the end of the run
     */
    public record Fault(FaultType type, String target, long atMillis, long durationMillis) {
    }

    /**
     * One job event: {@code job_start} (kind, nodes, duration) or {@code job_stop} (job).
     *
     * @param start          true for job_start, false for job_stop
     * @param atMillis       offset from the start
     * @param kind           job_start: the kind
     * @param nodes          job_start: how many nodes
     * @param durationMillis job_start: how long the job runs
     * @param job            job_stop: job id or {@code random-job}, {@code random-training-job}, {@code random-inference-job}
     */
    public record Event(boolean start, long atMillis, JobKind kind, int nodes, long durationMillis, String job) {
    }

    /** The config with this scenario's cluster settings on top of {@code base} (values the scenario leaves out stay). */
    public SimulationConfig.Builder configure(SimulationConfig.Builder base) {
        if (chips != null) {
            base.chips(chips);
        }
        if (seed != null) {
            base.seed(seed);
        }
        if (intervalMillis != null) {
            base.sampleIntervalMillis(intervalMillis);
        }
        if (busyFraction != null) {
            base.busyFraction(busyFraction);
        }
        return base.imperfections(imperfections);
    }

    /**
     * Schedules the faults and job events on a simulator whose run starts at {@code startMillis}.
     *
     * @return the ids of the scheduled faults, in file order
     * @throws ScenarioException naming the fault whose target this cluster does not have
     */
    public List<String> applyTo(ClusterSimulator simulator, long startMillis) {
        List<FaultRequest> requests = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            FaultRequest r = new FaultRequest(f.type(), f.target(), startMillis + f.atMillis(), f.durationMillis());
            try {
                simulator.validate(r);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("scenario " + name + ": faults[" + i + "].target: " + e.getMessage(), e);
            }
            requests.add(r);
        }
        List<String> ids = new ArrayList<>();
        for (FaultRequest r : requests) {
            ids.add(simulator.schedule(r));
        }
        for (Event e : events) {
            simulator.schedule(e.start()
                    ? JobEvent.start(startMillis + e.atMillis(), e.kind(), e.nodes(), e.durationMillis())
                    : JobEvent.stop(startMillis + e.atMillis(), e.job()));
        }
        return ids;
    }
}
