package io.chipwatch.collector.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.chipwatch.model.fault.FaultType;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.topology.ClusterShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The imperfections of real telemetry (docs/SIMULATOR.md), each on the generated data, each against a run with it
 * switched off. The transport's are in {@link TransportTest}. Runs record readings in primitive arrays
 * ({@link Recording}), so that runs of tens of minutes stay small.
 */
class ImperfectionsTest {
    private static final long SEC = 1000;
    /** Every imperfection of the data itself on, the transport perfect (a late sample would leave a hole here). */
    private static final Imperfections DATA = Imperfections.REAL.withTransport(TransportNoise.NONE);

    /** Readings by tick and chip index; NaN where the chip sent nothing. */
    private record Recording(ClusterSimulator sim, float[][] util, float[][] power, float[][] temp, String[][] job) {
        static Recording of(SimulationConfig config, int ticks, FaultRequest... faults) {
            ClusterSimulator sim = new ClusterSimulator(config);
            for (FaultRequest f : faults) {
                sim.schedule(f);
            }
            int chips = config.chips();
            Recording r = new Recording(sim, new float[ticks][chips], new float[ticks][chips], new float[ticks][chips],
                    new String[ticks][chips]);
            Map<String, Integer> index = new HashMap<>();
            sim.topology().chips().forEach(c -> index.put(c.id(), c.index()));
            for (int t = 0; t < ticks; t++) {
                Arrays.fill(r.util[t], Float.NaN);
                int tick = t;
                sim.tick(s -> {
                    int c = index.get(s.chip());
                    r.util[tick][c] = (float) s.util();
                    r.power[tick][c] = (float) s.powerW();
                    r.temp[tick][c] = (float) s.tempC();
                    r.job[tick][c] = s.job();
                });
            }
            return r;
        }
    }

    private static SimulationConfig config(int chips, long seed, double busy, Imperfections im) {
        return SimulationConfig.builder().chips(chips).seed(seed).busyFraction(busy).imperfections(im).build();
    }

    private static double correlation(List<double[]> pairs) {
        double n = pairs.size();
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (double[] p : pairs) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            syy += p[1] * p[1];
            sxy += p[0] * p[1];
        }
        return (sxy - sx * sy / n) / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    }

    /** (util, power) of every sample of a chip running a job at least 50 % busy. */
    private static List<double[]> busyPairs(Recording r) {
        List<double[]> pairs = new ArrayList<>();
        for (int t = 0; t < r.util.length; t++) {
            for (int c = 0; c < r.util[t].length; c++) {
                if (r.job[t][c] != null && r.util[t][c] >= 50) {
                    pairs.add(new double[] {r.util[t][c], r.power[t][c]});
                }
            }
        }
        return pairs;
    }

    @Test
    void workloadPhasesMakePowerFarFromAFunctionOfUtilisationOnBusyChips() {
        // Without the look-alikes, whose power caps and slowdowns would blur power further.
        Imperfections im = DATA.withNormalLookalikes(false);
        List<double[]> phased = busyPairs(Recording.of(config(800, 3, 0.75, im), 120));
        List<double[]> flat = busyPairs(Recording.of(config(800, 3, 0.75, im.withWorkloadPhases(false)), 120));
        double rPhased = correlation(phased);
        double rFlat = correlation(flat);
        assertThat(rFlat).as("r(util, power), one power per utilisation").isGreaterThan(0.95);
        assertThat(rPhased).as("r(util, power) with phases").isLessThan(0.75);
        // Memory-bound: near 100 % busy at well under full power.
        long memoryBound = phased.stream().filter(p -> p[0] >= 95 && p[1] < 310).count();
        assertThat(memoryBound).as("samples >= 95 %% at < 310 W").isGreaterThan(phased.size() / 50);
        assertThat(flat.stream().filter(p -> p[0] >= 95 && p[1] < 310).count()).isZero();
    }

    @Test
    void readingsAreWholeUnitsAndUtilisationIsTheBusyShareOfTheWindow() {
        Imperfections windowOnly = Imperfections.CLEAN.withRealReadings(true);
        Recording real = Recording.of(config(400, 4, 1.0, windowOnly), 60);
        Recording instant = Recording.of(config(400, 4, 1.0, Imperfections.CLEAN), 60);
        int between = 0;
        int betweenInstant = 0;
        for (int t = 0; t < 60; t++) {
            for (int c = 0; c < 400; c++) {
                assertThat((double) real.temp[t][c]).isEqualTo(Math.rint(real.temp[t][c]));
                assertThat((double) real.util[t][c]).isEqualTo(Math.rint(real.util[t][c]));
                boolean training = real.job[t][c].startsWith("train");
                // Compute phases run at 88-96 %, collectives at 32-46 %: in between only a window that held both.
                if (training && real.util[t][c] > 58 && real.util[t][c] < 78) {
                    between++;
                }
                if (training && instant.util[t][c] > 58 && instant.util[t][c] < 78) {
                    betweenInstant++;
                }
            }
        }
        assertThat(between).as("windows spanning compute and collectives").isGreaterThan(100);
        assertThat(betweenInstant).isZero();
        long fractional = 0;
        for (float[] temps : instant.temp) {
            for (float x : temps) {
                fractional += x != Math.rint(x) ? 1 : 0;
            }
        }
        assertThat(fractional).as("idealised readings are not whole").isGreaterThan(20_000);
    }

    @Test
    void chipsDifferForGoodAndOneInAFewHundredRunsHotWhileHealthy() {
        // A fully busy cluster; each chip against its node's median at the same instant, averaged over a minute.
        int chips = 2400;
        double[] varied = excessOverNode(Recording.of(config(chips, 6, 1.0, DATA), 60));
        double[] alike = excessOverNode(Recording.of(config(chips, 6, 1.0, DATA.withChipVariation(false)), 60));
        long hot = Arrays.stream(varied).filter(x -> x > 5.5).count();
        assertThat(hot).as("hot-but-healthy chips of 2400").isBetween(2L, 25L);
        assertThat(Arrays.stream(alike).filter(x -> x > 5.5).count()).isZero();
        assertThat(stdDev(varied)).as("spread of chips against their node").isGreaterThan(stdDev(alike) * 1.2);
    }

    private static double[] excessOverNode(Recording r) {
        int chips = r.temp[0].length;
        double[] sum = new double[chips];
        for (float[] temps : r.temp) {
            for (int node = 0; node < chips / 8; node++) {
                float[] mates = Arrays.copyOfRange(temps, node * 8, node * 8 + 8);
                Arrays.sort(mates);
                double median = (mates[3] + mates[4]) / 2.0;
                for (int c = node * 8; c < node * 8 + 8; c++) {
                    sum[c] += temps[c] - median;
                }
            }
        }
        return Arrays.stream(sum).map(s -> s / r.temp.length).toArray();
    }

    private static double stdDev(double[] x) {
        double mean = Arrays.stream(x).average().orElseThrow();
        return Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
    }

    @Test
    void inletAirIsWarmerHigherInTheRack() {
        // An idle cluster: temperature is inlet plus idle power, so the node's position shows.
        int perRack = ClusterShape.DEFAULT.nodesPerRack();
        Recording r = Recording.of(config(1600, 7, 0.0, DATA), 5);
        double[] byPosition = new double[perRack];
        int[] count = new int[perRack];
        for (int c = 0; c < 1600; c++) {
            int position = (c / 8) % perRack;
            byPosition[position] += r.temp[4][c];
            count[position]++;
        }
        double bottom = byPosition[0] / count[0];
        double top = byPosition[perRack - 1] / count[perRack - 1];
        assertThat(top - bottom).as("top node over bottom node, °C").isBetween(1.0, 3.5);
    }

    @Test
    void wholeJobsPauseForCheckpointsAndRunEvaluationsAtLowerUtilisation() {
        SimulationConfig cfg = config(400, 8, 1.0, DATA);
        int ticks = 1500;
        Recording r = Recording.of(cfg, ticks);
        Recording without = Recording.of(config(400, 8, 1.0, DATA.withNormalLookalikes(false)), ticks);
        int checkpoints = 0;
        int evaluations = 0;
        for (Job job : r.sim.jobs()) {
            if (!(job.profile() instanceof TrainingProfile p)) {
                continue;
            }
            for (int t = 1; t < ticks; t++) {
                long now = cfg.startMillis() + t * SEC;
                long elapsed = now - job.startMillis();
                TrainingProfile.Phase phase = p.phaseAt(elapsed, true, true);
                TrainingProfile.Phase before = p.phaseAt(elapsed - SEC, true, true);
                if (phase == TrainingProfile.Phase.CHECKPOINT && before == TrainingProfile.Phase.CHECKPOINT
                        && p.phaseAt(elapsed - 2 * SEC, true, true) == TrainingProfile.Phase.CHECKPOINT) {
                    // Mid-checkpoint: every chip of the job idles, where it would otherwise work.
                    for (int c = job.firstNode() * 8; c < (job.firstNode() + job.nodeCount()) * 8; c++) {
                        assertThat(r.util[t][c]).as("checkpoint, chip %d tick %d", c, t).isLessThan(8);
                        assertThat(r.power[t][c]).isLessThan(110);
                    }
                    checkpoints++;
                }
                if (phase == TrainingProfile.Phase.EVALUATION && before == TrainingProfile.Phase.EVALUATION) {
                    int c = job.firstNode() * 8;
                    assertThat(r.util[t][c]).as("evaluation, tick %d", t).isBetween(40f, 80f);
                    evaluations++;
                }
            }
        }
        assertThat(checkpoints).as("checkpoint ticks seen").isGreaterThan(20);
        assertThat(evaluations).as("evaluation ticks seen").isGreaterThan(20);
        // No fault in either run: the ground truth stays empty whatever the jobs do.
        assertThat(r.sim.faults()).isEmpty();
        assertThat(without.sim.faults()).isEmpty();
    }

    @Test
    void powerBudgetEventsCapAWholeJobWhileItsChipsStayBusy() {
        SimulationConfig cfg = config(400, 9, 1.0, DATA);
        int ticks = 1200;
        Recording r = Recording.of(cfg, ticks);
        Recording without = Recording.of(config(400, 9, 1.0, DATA.withNormalLookalikes(false)), ticks);
        PowerBudget budget = new PowerBudget(cfg.seed());
        int capped = 0;
        for (Job job : r.sim.jobs()) {
            for (int t = 0; t < ticks; t++) {
                long elapsed = cfg.startMillis() + t * SEC - job.startMillis();
                double cap = budget.capFraction(job, elapsed);
                if (cap >= 1.0 || job.profile() instanceof TrainingProfile p
                        && (p.phaseAt(elapsed, true, true) != p.phaseAt(elapsed, true, false)
                        || p.phaseAt(elapsed - SEC, true, true) != p.phaseAt(elapsed - SEC, true, false))) {
                    // No cap, or a checkpoint or evaluation that the run without look-alikes does not have.
                    continue;
                }
                for (int c = job.firstNode() * 8; c < (job.firstNode() + job.nodeCount()) * 8; c++) {
                    assertThat(r.power[t][c]).as("chip %d tick %d", c, t).isLessThan((float) (cap * 402 + 3));
                    if (without.power[t][c] > cap * 402 + 30) {
                        // Held at the cap, not idle: utilisation as without the cap.
                        assertThat(r.util[t][c]).isEqualTo(without.util[t][c]);
                        capped++;
                    }
                }
            }
        }
        assertThat(capped).as("chip-seconds held at a job-wide cap").isGreaterThan(500);
    }

    @Test
    void thermalSlowdownHoldsAChipNearItsLimitWithoutAFault() {
        // A rack whose inlet is 11-19 °C hotter (a rack_cooling fault) pushes busy chips past the slowdown point.
        SimulationConfig cfg = config(400, 10, 1.0, DATA);
        FaultRequest hot = new FaultRequest(FaultType.RACK_COOLING, "p00-r00", cfg.startMillis(), 0);
        Recording r = Recording.of(cfg, 240, hot);
        Recording without = Recording.of(config(400, 10, 1.0, DATA.withNormalLookalikes(false)), 240, hot);
        int slowed = 0;
        float hottest = 0;
        float hottestWithout = 0;
        for (int t = 120; t < 240; t++) {
            for (int c = 0; c < 80; c++) {
                hottest = Math.max(hottest, r.temp[t][c]);
                hottestWithout = Math.max(hottestWithout, without.temp[t][c]);
                if (without.temp[t][c] > ChipPhysics.SLOWDOWN_C + 0.5 && r.power[t][c] < without.power[t][c] - 20) {
                    // Where the die would pass the slowdown point, the firmware cuts its power instead.
                    slowed++;
                }
                assertThat(r.power[t][c]).isLessThanOrEqualTo(without.power[t][c] + 0.001f);
            }
        }
        assertThat(slowed).as("chip-seconds slowed down").isGreaterThan(10);
        assertThat(hottest).as("slowdown keeps the die cooler").isLessThan(hottestWithout);
    }

    @Test
    void everyImperfectionOffIsTheIdealisedSimulator() {
        SimulationConfig clean = config(80, 11, 0.75, Imperfections.CLEAN);
        List<ChipSample> a = new ClusterSimulator(clean).tick();
        List<ChipSample> b = new ClusterSimulator(clean).tick();
        assertThat(a).isEqualTo(b).hasSize(80);
        assertThat(a).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(clean.startMillis()));
    }
}
