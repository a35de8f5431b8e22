package io.chipwatch.collector.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipwatch.collector.ScenarioFiles;
import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.collector.sim.Imperfections;
import io.chipwatch.collector.sim.JobKind;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.collector.sim.TransportNoise;
import io.chipwatch.model.fault.FaultType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioLoaderTest {
    static Path scenarios() {
        return ScenarioFiles.dir();
    }

    private static Scenario parse(String yaml) {
        return ScenarioLoader.parse(yaml, "test.yaml", "test");
    }

    @Test
    void readsEveryField() {
        Scenario s = parse("""
                name: demo
                description: a demo
                cluster: {chips: 800, seed: 9, interval: 500ms, busyFraction: 0.5}
                duration: 10m
                faults:
                  - {type: overheat, target: random-busy-chip, at: 1m30s, duration: 2m}
                  - {type: sensor_glitch, target: p00-r00-n00-c00, at: 30s}
                events:
                  - {type: job_start, kind: training, nodes: 4, at: 1m, duration: 5m}
                  - {type: job_stop, job: random-job, at: 2m}
                """);
        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.chips()).isEqualTo(800);
        assertThat(s.seed()).isEqualTo(9L);
        assertThat(s.intervalMillis()).isEqualTo(500L);
        assertThat(s.busyFraction()).isEqualTo(0.5);
        assertThat(s.durationMillis()).isEqualTo(600_000L);
        assertThat(s.faults()).containsExactly(
                new Scenario.Fault(FaultType.OVERHEAT, "random-busy-chip", 90_000, 120_000),
                new Scenario.Fault(FaultType.SENSOR_GLITCH, "p00-r00-n00-c00", 30_000, 0));
        assertThat(s.events()).containsExactly(
                new Scenario.Event(true, 60_000, JobKind.TRAINING, 4, 300_000, null),
                new Scenario.Event(false, 120_000, null, 0, 0, "random-job"));
    }

    @Test
    void everyImperfectionIsOnUnlessTheScenarioTurnsItOff() {
        assertThat(parse("duration: 1m").imperfections()).isEqualTo(Imperfections.REAL);
        Scenario off = parse("""
                imperfections: {workloadPhases: false, readings: false, chipVariation: false, lookalikes: false,
                                transport: false}
                duration: 1m
                """);
        assertThat(off.imperfections()).isEqualTo(Imperfections.CLEAN);
        assertThat(off.configure(SimulationConfig.builder()).build().imperfections()).isEqualTo(Imperfections.CLEAN);
        Scenario rates = parse("""
                imperfections:
                  lookalikes: false
                  transport: {lateFraction: 0.05, lateMax: 5s, clockOffsetMax: 800ms}
                duration: 1m
                """);
        assertThat(rates.imperfections()).isEqualTo(Imperfections.REAL.withNormalLookalikes(false).withTransport(
                new TransportNoise(0.05, 5_000, 0.001, 0.0002, 0.05, 100, 800)));
        assertThatThrownBy(() -> parse("imperfections: {readings: no-thanks}\nduration: 1m"))
                .hasMessageContaining("imperfections.readings: must be true or false");
        assertThatThrownBy(() -> parse("imperfections: {transport: {lateFraction: 2}}\nduration: 1m"))
                .hasMessageContaining("imperfections.transport.lateFraction: must be a number within [0, 1]");
        assertThatThrownBy(() -> parse("imperfections: {noise: false}\nduration: 1m"))
                .hasMessageContaining("imperfections.noise: unknown key");
    }

    @Test
    void onlyDurationIsRequired() {
        Scenario s = parse("duration: 1m\n");
        assertThat(s.name()).isEqualTo("test");
        assertThat(s.chips()).isNull();
        assertThat(s.faults()).isEmpty();
        assertThat(s.events()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown root key        | duration: 1m\\nfualts: []                                   | test.yaml: fualts: unknown key",
            "missing duration        | faults: []                                                  | test.yaml: duration: is required",
            "duration without unit   | duration: 60                                                | test.yaml: duration: needs a unit",
            "bad duration            | duration: soon                                              | test.yaml: duration: 'soon' is not a duration",
            "unknown fault type      | duration: 1m\\nfaults: [{type: melt, target: x, at: 1s}]      | faults[0].type: unknown fault type 'melt'; expected one of overheat, rack_cooling",
            "unknown fault key       | duration: 1m\\nfaults: [{type: overheat, target: random-chip, at: 1s, durration: 2s}] | faults[0].durration: unknown key; allowed here: at, duration, target, type",
            "missing target          | duration: 1m\\nfaults: [{type: overheat, at: 1s}]            | faults[0].target: is required",
            "missing at              | duration: 1m\\nfaults: [{type: overheat, target: random-chip}] | faults[0].at: is required",
            "at past the end         | duration: 1m\\nfaults: [{type: overheat, target: random-chip, at: 2m}] | faults[0].at: lies at or after the scenario's end",
            "selector of wrong scope | duration: 1m\\nfaults: [{type: rack_cooling, target: random-chip, at: 1s}] | faults[0].target: 'random-chip' picks a chip but rack_cooling targets a rack",
            "bad selector            | duration: 1m\\nfaults: [{type: overheat, target: random-hot-chip, at: 1s}] | faults[0].target: 'random-hot-chip' is not a selector",
            "zero fault duration     | duration: 1m\\nfaults: [{type: overheat, target: random-chip, at: 1s, duration: 0s}] | faults[0].duration: must be positive",
            "faults not a list       | duration: 1m\\nfaults: {type: overheat}                      | faults: must be a list",
            "chips not multiple of 8 | duration: 1m\\ncluster: {chips: 12}                          | cluster.chips: must be a positive multiple of 8",
            "chips not a number      | duration: 1m\\ncluster: {chips: many}                        | cluster.chips: must be a whole number",
            "busyFraction too big    | duration: 1m\\ncluster: {busyFraction: 2}                    | cluster.busyFraction: must be a number within [0, 1]",
            "unknown cluster key     | duration: 1m\\ncluster: {racks: 3}                           | cluster.racks: unknown key",
            "bad event type          | duration: 1m\\nevents: [{type: job_pause, at: 1s}]           | events[0].type: must be job_start or job_stop",
            "bad job kind            | duration: 1m\\nevents: [{type: job_start, kind: batch, nodes: 1, at: 1s, duration: 1s}] | events[0].kind: must be training or inference",
            "stop key on start       | duration: 1m\\nevents: [{type: job_start, job: x, kind: training, nodes: 1, at: 1s, duration: 1s}] | events[0].job: unknown key",
            "bad job selector        | duration: 1m\\nevents: [{type: job_stop, job: random-big-job, at: 1s}] | events[0].job: 'random-big-job' is not a job selector",
            "duplicate key           | duration: 1m\\nduration: 2m                                  | test.yaml: not valid YAML: Duplicate field 'duration'",
            "not a mapping           | - just a list                                               | test.yaml: must be a mapping",
    })
    void invalidScenariosFailNamingTheField(String what, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n"))).as(what).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anEmptyOrMissingFileIsReported(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ScenarioLoader.load(dir.resolve("nope.yaml"))).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> ScenarioLoader.load(dir.resolve("empty.yaml"))).hasMessageContaining("the file is empty");
    }

    @Test
    void targetsTheClusterDoesNotHaveFailWhenApplied() {
        Scenario s = parse("duration: 1m\nfaults:\n  - {type: chip_down, target: random-chip, at: 1s}\n"
                + "  - {type: overheat, target: p04-r00-n00-c00, at: 2s}\n");
        ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(80).build());
        assertThatThrownBy(() -> s.applyTo(sim, 0)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("faults[1].target: overheat targets a chip, and there is no chip 'p04-r00-n00-c00'");
        assertThat(sim.faults()).as("nothing half-applied").isEmpty();
    }

    @Test
    void theShippedScenariosLoadApplyAndTogetherCoverEveryFaultType() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(scenarios())) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString())).contains("baseline.yaml", "all-faults.yaml",
                "thermal.yaml", "links.yaml", "outages.yaml");
        Set<FaultType> covered = EnumSet.noneOf(FaultType.class);
        for (Path f : files) {
            Scenario s = ScenarioLoader.load(f);
            ClusterSimulator sim = new ClusterSimulator(SimulationConfig.builder().chips(2000).build());
            List<String> ids = s.applyTo(sim, sim.config().startMillis());
            assertThat(ids).hasSize(s.faults().size());
            assertThat(sim.faults()).allMatch(st -> st.state() == FaultStatus.State.PENDING);
            s.faults().forEach(x -> covered.add(x.type()));
            if (f.getFileName().toString().equals("baseline.yaml")) {
                assertThat(s.faults()).isEmpty();
            }
            if (f.getFileName().toString().equals("quiet.yaml")) {
                // The default workload alone, as ./telemetry up runs it.
                assertThat(s.faults()).isEmpty();
                assertThat(s.events()).isEmpty();
                assertThat(s.durationMillis()).isEqualTo(40 * 60_000L);
            }
            if (f.getFileName().toString().equals("all-faults.yaml")
                    || f.getFileName().toString().equals("long-mixed.yaml")) {
                assertThat(s.faults().stream().map(Scenario.Fault::type).distinct()).hasSize(FaultType.values().length);
            }
        }
        assertThat(covered).containsExactlyInAnyOrder(FaultType.values());
    }

    @Test
    void theLongScenariosCoverHoursAndTheCascadesNestFaultsInsideOtherFaults() {
        Scenario mixed = ScenarioLoader.load(scenarios().resolve("long-mixed.yaml"));
        Scenario churn = ScenarioLoader.load(scenarios().resolve("churn.yaml"));
        Scenario cascades = ScenarioLoader.load(scenarios().resolve("cascades.yaml"));
        assertThat(mixed.durationMillis()).isEqualTo(2 * 3_600_000L);
        assertThat(churn.durationMillis()).isEqualTo(3 * 3_600_000L);
        assertThat(churn.faults()).isNotEmpty().allMatch(x -> x.type() == FaultType.SENSOR_GLITCH);
        assertThat(churn.events()).hasSizeGreaterThanOrEqualTo(60);
        // A cascade: a fault whose target lies inside the target of another fault active at the same time.
        List<Scenario.Fault> faults = cascades.faults();
        long nested = faults.stream().filter(inner -> faults.stream().anyMatch(outer -> outer != inner
                && inner.target().startsWith(outer.target() + "-")
                && inner.atMillis() >= outer.atMillis() && inner.atMillis() < outer.atMillis() + outer.durationMillis()))
                .count();
        assertThat(nested).as("faults inside a rack or node fault while it lasts").isGreaterThanOrEqualTo(8);
    }
}
