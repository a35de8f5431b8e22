package io.chipwatch.collector.cli;

import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.scenario.ScenarioException;
import io.chipwatch.collector.scenario.ScenarioLoader;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.SimulationConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The cluster options that {@code simulate} and {@code collector} share (a picocli mixin): the cluster's size, seed
 * and sampling interval, the scenario to play and the shard to produce; and how they combine with the scenario's
 * cluster settings: an option given on the command line wins, else the scenario's value, else the option's default.
 */
public final class ClusterOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--chips", defaultValue = "" + SimulationConfig.DEFAULT_CHIPS,
            description = "Number of chips, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int chips;

    @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED,
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--interval-ms", defaultValue = "" + SimulationConfig.DEFAULT_SAMPLE_INTERVAL_MILLIS,
            description = "Sampling interval per chip, ms (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario to play (YAML, see scenarios/README.md): its faults and job events at offsets "
                    + "from the start; its cluster settings (and simulate's duration) apply unless given on the "
                    + "command line.")
    Path scenarioFile;

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class, defaultValue = "0/1",
            description = "Produce only shard I of N of the cluster (whole racks), so that N processes share it "
                    + "(default: ${DEFAULT-VALUE}).")
    ShardConverter.Shard shard;

    @Option(names = "--clean",
            description = "Idealised telemetry: every imperfection of real data off (docs/SIMULATOR.md), whatever "
                    + "the scenario says.")
    boolean clean;

    /**
     * Loads the {@code --scenario} file; null without one.
     *
     * @throws ParameterException (a usage error naming {@code --scenario}) when the file is bad
     */
    Scenario loadScenario() {
        if (scenarioFile == null) {
            return null;
        }
        try {
            return ScenarioLoader.load(scenarioFile);
        } catch (ScenarioException e) {
            throw new ParameterException(spec.commandLine(), "--scenario " + e.getMessage(), e);
        }
    }

    /** A configuration builder with the scenario's cluster settings (if any) under the options given, and the shard. */
    SimulationConfig.Builder builder(Scenario scenario) {
        SimulationConfig.Builder b = SimulationConfig.builder().shard(shard.index(), shard.count());
        if (scenario != null) {
            scenario.configure(b);
        }
        if (scenario == null || explicit("--chips")) {
            b.chips(chips);
        }
        if (scenario == null || explicit("--seed")) {
            b.seed(seed);
        }
        if (scenario == null || explicit("--interval-ms")) {
            b.sampleIntervalMillis(intervalMillis);
        }
        if (clean) {
            b.imperfections(Imperfections.CLEAN);
        }
        return b;
    }

    /** Whether the command line gave this option (of the command or of this mixin). */
    boolean explicit(String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
