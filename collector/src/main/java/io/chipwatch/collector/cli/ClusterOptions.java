package io.chipwatch.collector.cli;

import io.chipwatch.collector.scenario.Scenario;
import io.chipwatch.collector.scenario.ScenarioException;
import io.chipwatch.collector.scenario.ScenarioLoader;
import io.chipwatch.collector.sim.SimulationConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The cluster options that {@code simulate} and {@code collector} share (a picocli mixin), and how they combine
 * with a scenario's cluster settings: an option given on the command line wins, else the scenario's value, else
 * the option's default.
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

    /**
     * Loads the scenario file; null when {@code file} is.
     *
     * @throws ParameterException (a usage error naming {@code --scenario}) when the file is bad
     */
    Scenario loadScenario(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return ScenarioLoader.load(file);
        } catch (ScenarioException e) {
            throw new ParameterException(spec.commandLine(), "--scenario " + e.getMessage(), e);
        }
    }

    /** A configuration builder with the scenario's cluster settings (if any) under the options given. */
    SimulationConfig.Builder builder(Scenario scenario) {
        SimulationConfig.Builder b = SimulationConfig.builder();
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
        return b;
    }

    /** Whether the command line gave this option (of the command or of this mixin). */
    boolean explicit(String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
