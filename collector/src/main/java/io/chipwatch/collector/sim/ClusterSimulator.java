package io.chipwatch.collector.sim;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import io.chipwatch.model.topology.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.chipwatch.collector.sim.ChipPhysics.clamp;
import static io.chipwatch.collector.sim.ChipPhysics.round3;

/**
 * Simulates a whole cluster, one tick (one sample per chip) at a time, in simulated time. Deterministic: the
 * same {@link SimulationConfig} always yields the same samples.
 *
 * <p>Layout: the {@link WorkloadModel} turns jobs into per-node demand; this class keeps every chip's
 * parameters and state in primitive arrays indexed by chip index (and every link's by link index) and applies
 * {@link ChipPhysics}. Per-sample noise is drawn from a {@link Noise} stream keyed by (seed, timestamp, chip),
 * so a chip's reading does not depend on the other chips. Ids come from the {@link Topology} and are shared,
 * so a tick allocates only the samples themselves.
 *
 * <p>Not thread-safe: one thread drives a simulator.
 */
public final class ClusterSimulator {
    // Noise stream names; distinct from any timestamp a run will see (those are positive epoch ms).
    private static final long STREAM_CHIP_PARAMS = -1;
    private static final long STREAM_LINK_PARAMS = -2;
    private static final long STREAM_RACK_PARAMS = -3;
    private static final long STREAM_HALL_PARAMS = -4;

    private final SimulationConfig config;
    private final Topology topology;
    private final WorkloadModel workload;
    private final Noise noise = new Noise();
    private final long seed;
    private final int chipCount;

    // Per chip: identity (shared strings), position, static parameters, state.
    private final String[] chipId;
    private final String[] nodeId;
    private final String[] rackId;
    private final String[] podId;
    private final int[] chipNode;
    private final int[] chipRack;
    private final double[] idleW;
    private final double[] maxW;
    private final double[] thermalResistance;
    private final double[] tauS;
    private final double[] alphaNominal;
    private final double[] utilBias;
    private final double[] tempC;

    // Per chip link slot (CSR layout: the slots of chip c are linkStart[c] .. linkStart[c + 1] - 1).
    private final int[] linkStart;
    private final int[] slotLink;
    private final String[] slotLinkId;
    private final String[] slotPeer;
    private final LinkKind[] slotKind;

    // Per link (index in topology.links()): nominal latency. Both ends of a link share it.
    private final double[] linkNominalUs;

    // Per rack.
    private final double[] inletBaseC;
    private final double[] inletNowC;
    private final double dailyPhase;

    private long nextTimestampMillis;
    private long lastTimestampMillis;
    private boolean started;

    public ClusterSimulator(SimulationConfig config) {
        this.config = config;
        this.seed = config.seed();
        this.topology = Topology.build(config.shape(), config.chips());
        this.chipCount = topology.chipCount();
        this.nextTimestampMillis = config.startMillis();

        Map<String, Integer> nodeIndex = indexOf(topology.chipsByNode().keySet());
        Map<String, Integer> rackIndex = indexOf(topology.chipsByRack().keySet());
        Map<String, Integer> linkIndex = new HashMap<>(topology.links().size() * 2);
        for (Link link : topology.links()) {
            linkIndex.put(link.id(), linkIndex.size());
        }

        chipId = new String[chipCount];
        nodeId = new String[chipCount];
        rackId = new String[chipCount];
        podId = new String[chipCount];
        chipNode = new int[chipCount];
        chipRack = new int[chipCount];
        idleW = new double[chipCount];
        maxW = new double[chipCount];
        thermalResistance = new double[chipCount];
        tauS = new double[chipCount];
        alphaNominal = new double[chipCount];
        utilBias = new double[chipCount];
        tempC = new double[chipCount];
        linkStart = new int[chipCount + 1];
        int slots = 0;
        for (Chip chip : topology.chips()) {
            slots += chip.links().size();
        }
        slotLink = new int[slots];
        slotLinkId = new String[slots];
        slotPeer = new String[slots];
        slotKind = new LinkKind[slots];

        int slot = 0;
        for (Chip chip : topology.chips()) {
            int c = chip.index();
            chipId[c] = chip.id();
            nodeId[c] = chip.node();
            rackId[c] = chip.rack();
            podId[c] = chip.pod();
            chipNode[c] = nodeIndex.get(chip.node());
            chipRack[c] = rackIndex.get(chip.rack());
            noise.reset(seed, STREAM_CHIP_PARAMS, c);
            idleW[c] = noise.uniform(ChipPhysics.IDLE_W_MIN, ChipPhysics.IDLE_W_MAX);
            maxW[c] = noise.uniform(ChipPhysics.MAX_W_MIN, ChipPhysics.MAX_W_MAX);
            thermalResistance[c] = noise.uniform(ChipPhysics.THERMAL_RESISTANCE_MIN, ChipPhysics.THERMAL_RESISTANCE_MAX);
            tauS[c] = noise.uniform(ChipPhysics.TAU_S_MIN, ChipPhysics.TAU_S_MAX);
            alphaNominal[c] = ChipPhysics.lagAlpha(config.sampleIntervalMillis(), tauS[c]);
            utilBias[c] = noise.uniform(-ChipPhysics.UTIL_BIAS_MAX, ChipPhysics.UTIL_BIAS_MAX);
            linkStart[c] = slot;
            for (Link link : chip.links()) {
                slotLink[slot] = linkIndex.get(link.id());
                slotLinkId[slot] = link.id();
                slotPeer[slot] = link.peerOf(chip.id());
                slotKind[slot] = link.kind();
                slot++;
            }
        }
        linkStart[chipCount] = slot;

        linkNominalUs = new double[topology.links().size()];
        for (int l = 0; l < linkNominalUs.length; l++) {
            noise.reset(seed, STREAM_LINK_PARAMS, l);
            linkNominalUs[l] = topology.links().get(l).kind() == LinkKind.FABRIC
                    ? noise.uniform(ChipPhysics.FABRIC_US_MIN, ChipPhysics.FABRIC_US_MAX)
                    : noise.uniform(ChipPhysics.INTRA_US_MIN, ChipPhysics.INTRA_US_MAX);
        }

        inletBaseC = new double[rackIndex.size()];
        inletNowC = new double[rackIndex.size()];
        for (int r = 0; r < inletBaseC.length; r++) {
            inletBaseC[r] = noise.reset(seed, STREAM_RACK_PARAMS, r).uniform(ChipPhysics.INLET_C_MIN, ChipPhysics.INLET_C_MAX);
        }
        dailyPhase = noise.reset(seed, STREAM_HALL_PARAMS, 0).uniform(0, 2 * Math.PI);

        workload = new WorkloadModel(nodeIndex.size(), config.busyFraction(), seed, config.startMillis());
    }

    private static Map<String, Integer> indexOf(Iterable<String> ids) {
        Map<String, Integer> index = new HashMap<>();
        for (String id : ids) {
            index.put(id, index.size());
        }
        return index;
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
        long dt = started ? now - lastTimestampMillis : 0;
        workload.advanceTo(now);
        for (int r = 0; r < inletBaseC.length; r++) {
            inletNowC[r] = ChipPhysics.inlet(inletBaseC[r], now, dailyPhase);
        }
        boolean nominalStep = dt == config.sampleIntervalMillis();
        for (int c = 0; c < chipCount; c++) {
            double alpha = !started ? 1.0 : nominalStep ? alphaNominal[c] : ChipPhysics.lagAlpha(dt, tauS[c]);
            sink.accept(sampleChip(c, now, alpha));
        }
        started = true;
        lastTimestampMillis = now;
        nextTimestampMillis = now + config.sampleIntervalMillis();
    }

    /**
     * One chip's sample: utilisation from its node's demand, power from utilisation, temperature one lag step
     * towards its steady value (alpha 1 on the first tick, so a run starts in thermal equilibrium instead of
     * with a cold cluster warming up), and each link's latency.
     */
    private ChipSample sampleChip(int c, long now, double alpha) {
        int node = chipNode[c];
        noise.reset(seed, now, c);
        double utilMean = workload.utilMean(node);
        double util = clamp(utilMean + utilBias[c] * utilMean / 100.0 + workload.utilSigma(node) * noise.gaussian(),
                0.0, 100.0);
        double power = ChipPhysics.power(idleW[c], maxW[c], util) + ChipPhysics.POWER_NOISE_W * noise.gaussian();
        double steady = ChipPhysics.steadyTemperature(inletNowC[chipRack[c]], thermalResistance[c], power);
        tempC[c] = ChipPhysics.temperatureStep(tempC[c], steady, alpha);
        double tempReading = tempC[c] + ChipPhysics.TEMP_SENSOR_NOISE_C * noise.gaussian();

        int from = linkStart[c];
        int to = linkStart[c + 1];
        LinkLatency[] links = new LinkLatency[to - from];
        double intra = workload.intraFactor(node);
        double fabric = workload.fabricFactor(node);
        for (int s = from; s < to; s++) {
            LinkKind kind = slotKind[s];
            double latency = linkNominalUs[slotLink[s]] * (kind == LinkKind.FABRIC ? fabric : intra)
                    * (1.0 + ChipPhysics.LATENCY_JITTER * noise.exponential());
            if (noise.uniform() < ChipPhysics.LATENCY_BURST_P) {
                latency *= noise.uniform(ChipPhysics.LATENCY_BURST_MIN, ChipPhysics.LATENCY_BURST_MAX);
            }
            links[s - from] = new LinkLatency(slotLinkId[s], slotPeer[s], kind, round3(latency));
        }
        return new ChipSample(now, chipId[c], nodeId[c], rackId[c], podId[c], workload.jobId(node),
                round3(util), round3(tempReading), round3(power), List.of(links));
    }
}
