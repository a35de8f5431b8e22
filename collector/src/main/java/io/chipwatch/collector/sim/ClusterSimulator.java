package io.chipwatch.collector.sim;

import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.topology.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.chipwatch.collector.sim.ChipPhysics.clamp;
import static io.chipwatch.collector.sim.ChipPhysics.round3;

/**
 * Simulates a whole cluster, one tick (one sample per chip) at a time, in simulated time. Deterministic: the
 * same {@link SimulationConfig} always yields the same samples.
 *
 * <p>Layout: the {@link WorkloadModel} turns jobs into per-node demand; this class keeps every chip's
 * parameters and state in primitive arrays indexed by chip index (and every link's by link index, see
 * {@link ClusterLayout}) and applies {@link ChipPhysics}. Per-sample noise is drawn from a {@link Noise} stream
 * keyed by (seed, timestamp, chip), so a chip's reading does not depend on the other chips. Ids come from the
 * {@link Topology} and are shared, so a tick allocates only the samples themselves.
 *
 * <p>Faults ({@link FaultRequest}) change the physics of the entities they target while they are active (see
 * {@link Fault} for each type's signature): the {@link FaultEngine} keeps their life, and the physics asks its
 * {@link FaultEffects} per sample; their onsets and ends go to the {@link #faultListener} as ground truth. Scenario
 * job events ({@link JobEvent}) start and stop jobs. With a shard ({@link SimulationConfig#shardIndex()}) the
 * simulator still models the whole cluster's workload and faults, so all shards agree, but computes and emits
 * only its own chips.
 *
 * <p>Not thread-safe: one thread drives a simulator; only {@link #inject}, {@link #clearFaults}, {@link #faults()}
 * and the {@code latest*} readers may be called from other threads.
 */
public final class ClusterSimulator {
    // Noise stream names; distinct from any timestamp a run will see (those are positive epoch ms).
    private static final long STREAM_LINK_PARAMS = -2;
    private static final long STREAM_RACK_PARAMS = -3;
    private static final long STREAM_HALL_PARAMS = -4;

    private final SimulationConfig config;
    private final Topology topology;
    private final ClusterLayout layout;
    private final WorkloadModel workload;
    private final JobEvents jobEvents;
    private final Noise noise = new Noise();
    private final long seed;
    private final int chipCount;
    private final int shardFrom;
    private final int shardTo;
    private final FaultEngine faults;
    private final FaultEffects effects;

    // Per chip: static parameters, state.
    private final ChipParameters params;
    private final DieTemperatures dies;
    private final Imperfections imperfections;
    private final Transport transport;

    // The latest reading of each chip and link slot, for /metrics: written by tick(), read by any thread.
    private final double[] latestUtil;
    private final double[] latestTemp;
    private final double[] latestPower;
    private final boolean[] latestReporting;
    private volatile long latestTimestampMillis = -1;

    // Per link: nominal latency, each chip's latencies per tick, the latest per slot.
    private final LinkLatencies links;

    // Per rack.
    private final double[] inletBaseC;
    private final double[] inletNowC;
    private final double dailyPhase;

    private long nextTimestampMillis;

    public ClusterSimulator(SimulationConfig config) {
        this.config = config;
        this.seed = config.seed();
        this.topology = Topology.build(config.shape(), config.chips());
        this.layout = new ClusterLayout(topology);
        this.chipCount = topology.chipCount();
        this.nextTimestampMillis = config.startMillis();

        imperfections = config.imperfections();
        params = new ChipParameters(layout, seed, config.sampleIntervalMillis(), imperfections.chipVariation());
        latestUtil = new double[chipCount];
        latestTemp = new double[chipCount];
        latestPower = new double[chipCount];
        latestReporting = new boolean[chipCount];

        inletBaseC = new double[layout.rackCount()];
        inletNowC = new double[layout.rackCount()];
        for (int r = 0; r < inletBaseC.length; r++) {
            inletBaseC[r] = noise.reset(seed, STREAM_RACK_PARAMS, r).uniform(ChipPhysics.INLET_C_MIN, ChipPhysics.INLET_C_MAX);
        }
        dailyPhase = noise.reset(seed, STREAM_HALL_PARAMS, 0).uniform(0, 2 * Math.PI);

        workload = new WorkloadModel(layout.nodeCount(), config.busyFraction(), seed, config.startMillis(),
                imperfections, config.sampleIntervalMillis());
        transport = new Transport(imperfections.transport(), seed, layout.nodeCount());
        jobEvents = new JobEvents(workload, seed);

        int[] range = layout.shardRange(config.shardIndex(), config.shardCount());
        shardFrom = range[0];
        shardTo = range[1];
        dies = new DieTemperatures(seed, chipCount, shardFrom, shardTo);
        effects = new FaultEffects(chipCount, layout.rackCount(), layout.linkCount(), layout.chipsPerNode());
        links = new LinkLatencies(topology, layout, effects, seed, STREAM_LINK_PARAMS);
        faults = new FaultEngine(new FaultTargets(layout, workload, c -> c >= shardFrom && c < shardTo), effects,
                seed, config.sampleIntervalMillis());
        faults.stampOffsets((scope, index) -> transport.stampOffsetMillis(layout, scope, index));
    }

    public SimulationConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    /** Timestamp the next {@link #tick} will carry. */
    public long nextTimestampMillis() {
        return nextTimestampMillis;
    }

    /** First chip index this simulator samples (0 unless sharded). */
    public int shardFrom() {
        return shardFrom;
    }

    /** One past the last chip index this simulator samples. */
    public int shardTo() {
        return shardTo;
    }

    // ---- Faults and scenario events ----

    /** Receives every fault onset and end (ground truth) on the sampling thread; only for faults this shard owns. */
    public void faultListener(Consumer<? super FaultEvent> listener) {
        faults.listener(listener);
    }

    /** Prefix of fault ids given from now on (default {@code f-}: {@code f-0001}, {@code f-0002}, …). */
    public void faultIdPrefix(String prefix) {
        faults.idPrefix(prefix);
    }

    /**
     * Checks a fault request against this cluster without scheduling it.
     *
     * @throws IllegalArgumentException saying what is wrong (unknown entity, selector of the wrong scope, …)
     */
    public void validate(FaultRequest request) {
        faults.validate(request);
    }

    /** Whether this simulator's shard owns the request's target (always true unsharded; see {@link SimulationConfig#shardIndex()}). */
    public boolean owns(FaultRequest request) {
        return faults.owns(request);
    }

    /**
     * Schedules a fault (a scenario's); call before the first tick or on the sampling thread.
     *
     * @return the fault's id
     * @throws IllegalArgumentException when the request is invalid
     */
    public String schedule(FaultRequest request) {
        return faults.schedule(request, "scenario");
    }

    /**
     * Injects a fault now, from any thread: it starts at the next tick.
     *
     * @return completes with the fault's status when it started (or was skipped)
     * @throws IllegalArgumentException when the request is invalid
     */
    public CompletableFuture<FaultStatus> inject(FaultRequest request) {
        return faults.inject(request, "live");
    }

    /** Ends every active fault and drops every pending one at the next tick, from any thread. */
    public CompletableFuture<List<FaultStatus>> clearFaults() {
        return faults.clear();
    }

    /** Past (the last 1000), active and pending faults; from any thread. */
    public List<FaultStatus> faults() {
        return faults.faults();
    }

    /** Schedules a job start or stop; call before the first tick or on the sampling thread. */
    public void schedule(JobEvent event) {
        jobEvents.schedule(event);
    }

    // ---- The latest readings, for /metrics ----

    /** Timestamp of the last tick, or -1 before the first. */
    public long latestTimestampMillis() {
        return latestTimestampMillis;
    }

    /** Whether the chip reported at the last tick (false when silent or outside this shard). */
    public boolean latestReporting(int chip) {
        return latestReporting[chip];
    }

    public double latestUtil(int chip) {
        return latestUtil[chip];
    }

    public double latestTemp(int chip) {
        return latestTemp[chip];
    }

    public double latestPower(int chip) {
        return latestPower[chip];
    }

    /**
     * First link slot of a chip: its links are slots {@code linkStart(c) .. linkStart(c + 1) - 1}, in topology
     * order; {@code linkStart(chipCount)} is the number of slots.
     */
    public int linkStart(int chip) {
        return layout.linkStart(chip);
    }

    /** The latest latency of a link slot, µs; NaN when the link was missing from the sample. */
    public double latestLatency(int slot) {
        return links.latest(slot);
    }

    /** The jobs running at the last tick (before the first tick: at the start), for tests and ground truth. */
    public List<Job> jobs() {
        return List.copyOf(workload.jobs());
    }

    /**
     * Moves the next tick forward to {@code timestampMillis}, skipping the ticks in between (a real-time
     * collector that fell behind). The physics integrates over the whole gap, so temperatures stay right.
     *
     * @throws IllegalArgumentException when the timestamp lies before {@link #nextTimestampMillis()}
     */
    public void skipTo(long timestampMillis) {
        if (timestampMillis < nextTimestampMillis) {
            throw new IllegalArgumentException("cannot go back from " + nextTimestampMillis + " to " + timestampMillis);
        }
        nextTimestampMillis = timestampMillis;
    }

    /** The dies' temperatures after the last tick, for a restarted collector to {@link #resume} from. */
    public ThermalSnapshot thermalSnapshot() {
        return dies.snapshot();
    }

    /**
     * Before the first tick: goes on from the dies' temperatures of an earlier run of the same cluster and shard
     * (a restarted collector), instead of starting every die in equilibrium. The first tick then lets each die
     * follow its thermal lag from the snapshot's temperature over the whole gap, as the dies did while nobody was
     * sampling them; after a long gap that is equilibrium again.
     *
     * @throws IllegalArgumentException when the snapshot is of another seed, cluster size or shard, or not older
     *                                  than the next tick
     * @throws IllegalStateException    after the first tick
     */
    public void resume(ThermalSnapshot snapshot) {
        dies.resume(snapshot, nextTimestampMillis);
    }

    /** Produces one sample per chip, in chip index order, for the current timestamp, and advances one interval. */
    public List<ChipSample> tick() {
        List<ChipSample> samples = new ArrayList<>(chipCount);
        tick(samples::add);
        return samples;
    }

    /**
     * Like {@link #tick()}, handing each sample to {@code sink} as soon as it is made, so no list of a whole
     * tick is held (a tick of 100,000 chips is big).
     */
    public void tick(Consumer<? super ChipSample> sink) {
        long now = nextTimestampMillis;
        boolean started = dies.started();
        long dt = dies.millisSinceLast(now);
        jobEvents.runTo(now);
        workload.advanceTo(now);
        faults.advanceTo(now);
        for (int r = 0; r < inletBaseC.length; r++) {
            inletNowC[r] = ChipPhysics.inlet(inletBaseC[r], now, dailyPhase) + effects.inletOffsetC(r);
        }
        boolean nominalStep = dt == config.sampleIntervalMillis();
        transport.release(now, sink);
        for (int c = shardFrom; c < shardTo; c++) {
            double alpha = !started ? 1.0 : nominalStep ? params.alphaNominal[c] : ChipPhysics.lagAlpha(dt, params.tauS[c]);
            ChipSample sample = sampleChip(c, now, alpha, dt);
            if (sample != null) {
                transport.send(sample, c, now, sink);
            }
        }
        latestTimestampMillis = now;
        dies.ticked(now);
        nextTimestampMillis = now + config.sampleIntervalMillis();
    }

    /**
     * Hands {@code sink} every sample still in flight (late or repeated, {@link Transport}): the end of a run, so
     * that a run's output holds every sample its ticks made except the dropped ones.
     */
    public void drain(Consumer<? super ChipSample> sink) {
        transport.drain(sink);
    }

    /**
     * One chip's sample: utilisation from its node's demand, power from utilisation, temperature one lag step
     * towards its steady value (alpha 1 on the first tick, so a run starts in thermal equilibrium instead of
     * with a cold cluster warming up, unless it {@link #resume}d), and each link's latency; then whatever the
     * active faults change. Null
     * when the chip is silent (chip_down, node_down): its physics runs on, but it reports nothing.
     */
    private ChipSample sampleChip(int c, long now, double alpha, long dtMillis) {
        int node = layout.chipNode(c);
        noise.reset(seed, now, c);
        boolean faulted = effects.affects(c);
        double idle = params.idleW[c];
        double max = params.maxW[c];
        double utilMean = workload.utilMean(node);
        double util = clamp(utilMean + params.utilBias[c] * utilMean / 100.0
                + workload.utilSigma(node) * noise.gaussian(), 0.0, 100.0);
        double powerNoise = ChipPhysics.POWER_NOISE_W * noise.gaussian();
        // Full-load power of this chip in this phase: the phase's power factor, the chip's efficiency, and thermal
        // slowdown when the die is at its limit (normal look-alike).
        double factor = workload.powerFactor(node) * params.efficiency[c];
        if (imperfections.normalLookalikes() && dies.tempC[c] > ChipPhysics.SLOWDOWN_C) {
            factor *= ChipPhysics.SLOWDOWN_POWER_FACTOR;
        }
        double fullW = idle + (max - idle) * factor;
        if (faulted) {
            util = effects.utilisation(c, util, workload.computeShare(node), powerNoise, idle, max, fullW);
        }
        double power = ChipPhysics.power(idle, fullW, util) + powerNoise;
        double capW = workload.capFraction(node) * max;
        if (capW < max && power > capW) {
            // A job-wide power cap (normal look-alike): the firmware holds power at the cap, the chip stays busy.
            power = capW + ChipPhysics.CAP_RIPPLE_W * noise.gaussian();
        }
        double inlet = inletNowC[layout.chipRack(c)] + params.nodeInletOffsetC[node];
        double steady = ChipPhysics.steadyTemperature(inlet, params.thermalResistance[c], power);
        double[] tempC = dies.tempC;
        tempC[c] = ChipPhysics.temperatureStep(tempC[c], steady, alpha);
        double tempReading = tempC[c] + ChipPhysics.TEMP_SENSOR_NOISE_C * noise.gaussian();
        if (faulted) {
            tempReading = effects.temperature(c, tempReading, tempC[c], alpha, dtMillis);
            if (effects.silent(c)) {
                latestReporting[c] = false;
                return null;
            }
        }
        boolean whole = imperfections.realReadings();
        util = whole ? ChipPhysics.whole(util) : round3(util);
        tempReading = whole ? ChipPhysics.whole(tempReading) : round3(tempReading);
        power = round3(power);
        latestUtil[c] = util;
        latestTemp[c] = tempReading;
        latestPower[c] = power;
        latestReporting[c] = true;
        return new ChipSample(now + transport.clockOffsetMillis(node), layout.chipId(c), layout.nodeId(c),
                layout.rackId(c), layout.podId(c), workload.jobId(node), util, tempReading, power,
                links.sample(c, noise, workload.intraFactor(node), workload.fabricFactor(node)));
    }
}
