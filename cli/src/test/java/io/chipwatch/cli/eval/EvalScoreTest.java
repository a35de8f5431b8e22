package io.chipwatch.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chipwatch.collector.sim.SimulationConfig;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalScoreTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final long RUN = 600_000L;

    private static EvalScore.TruthFault fault(String id, FaultType type, String target, int onsetS, Integer endS) {
        return new EvalScore.TruthFault(id, type, target, T0 + onsetS * 1000L, endS == null ? null : T0 + endS * 1000L);
    }

    private static Anomaly anomaly(AnomalyType type, String entity, int startS, int eventS, List<String> affected) {
        return Anomaly.builder().type(type).entity(entity).startMillis(T0 + startS * 1000L)
                .eventMillis(T0 + eventS * 1000L).affected(affected).build();
    }

    private static EvalScore.Report score(List<EvalScore.TruthFault> faults, List<Anomaly> anomalies) {
        return EvalScore.score(faults, anomalies, 2000, T0 + RUN, RUN, 30_000);
    }

    @Test
    void aMatchingAnomalyIsATruePositiveWithItsLatencyFromOnsetToDetection() {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.OVERHEAT, "p00-r01-n02-c03", 30, 120),
                        fault("f-2", FaultType.OVERHEAT, "p00-r04-n00-c00", 200, 260)),
                List.of(anomaly(AnomalyType.OVERHEAT, "p00-r01-n02-c03", 32, 32, List.of()),
                        anomaly(AnomalyType.OVERHEAT, "p00-r04-n00-c00", 204, 204, List.of())));
        EvalScore.TypeScore s = r.faultTypes().get("overheat");
        assertThat(s.injected()).isEqualTo(2);
        assertThat(s.detected()).isEqualTo(2);
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.f1()).isEqualTo(1.0);
        assertThat(s.latencyP50S()).isEqualTo(2.0);
        assertThat(s.latencyP95S()).isEqualTo(4.0);
        assertThat(r.falsePositives()).isZero();
    }

    @Test
    void aRollUpMatchesTheFaultItContainsAndAnAnomalyOfAnotherTypeDoesNot() {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.NODE_DOWN, "p00-r01-n02", 30, 90),
                        fault("f-2", FaultType.RACK_COOLING, "p00-r05", 100, 300)),
                List.of(anomaly(AnomalyType.NODE_DOWN, "p00-r01-n02", 30, 32, List.of("p00-r01-n02-c00")),
                        anomaly(AnomalyType.RACK_COOLING, "p00-r05", 103, 103, List.of()),
                        anomaly(AnomalyType.OVERHEAT, "p00-r05-n01-c01", 104, 104, List.of())));
        assertThat(r.faultTypes().get("node_down").detected()).isEqualTo(1);
        assertThat(r.faultTypes().get("rack_cooling").detected()).isEqualTo(1);
        assertThat(r.faultTypes().get("overheat").precision()).isEqualTo(0.0);
        assertThat(r.faultTypes().get("overheat").injected()).isZero();
        assertThat(r.falsePositives()).isEqualTo(1);
        assertThat(r.falsePositivesPer1000ChipHours()).isCloseTo(1 / (2000 * RUN / 3.6e6) * 1000, within(1e-9));
    }

    @Test
    void anAnomalyStartingBeforeTheOnsetOrAfterTheGraceMatchesNothing() {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.CHIP_DOWN, "p00-r01-n02-c03", 30, 60)),
                List.of(anomaly(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", 29, 31, List.of()),
                        anomaly(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", 91, 91, List.of())));
        EvalScore.TypeScore s = r.faultTypes().get("chip_down");
        assertThat(s.detected()).isZero();
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.latencyP50S()).isNull();
        assertThat(r.missed()).containsExactly("f-1 chip_down p00-r01-n02-c03");
        assertThat(r.falsePositives()).isEqualTo(2);
    }

    @Test
    void aFaultStillActiveAtTheEndOfTheRunEndsWithTheRun() {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.STRAGGLER, "p00-r01-n02-c03", 500, null)),
                List.of(anomaly(AnomalyType.STRAGGLER, "p00-r01-n02-c03", 620, 620, List.of())));
        assertThat(r.faultTypes().get("straggler").detected()).isEqualTo(1);
    }

    @Test
    void faultsThatMustNotAlertCountTheAnomaliesTheyRaised() {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.SENSOR_GLITCH, "p00-r01-n02-c03", 60, 61),
                        fault("f-2", FaultType.SENSOR_GLITCH, "p00-r01-n02-c04", 60, 61)),
                List.of(anomaly(AnomalyType.OVERHEAT, "p00-r01-n02-c03", 60, 60, List.of())));
        EvalScore.TypeScore s = r.faultTypes().get("sensor_glitch");
        assertThat(s.injected()).isEqualTo(2);
        assertThat(s.alerted()).isEqualTo(1);
        assertThat(s.precision()).isNull();
        assertThat(r.falsePositives()).isEqualTo(1);
    }

    @Test
    void truthEventsJoinOnsetAndEndAndEachAnomalyCountsOnceWithItsOpenEvent() {
        List<FaultEvent> events = List.of(
                new FaultEvent("f-1", FaultType.OVERHEAT, "c1", FaultScope.CHIP, T0, T0 + 9000,
                        FaultEvent.Phase.ONSET),
                new FaultEvent("f-1", FaultType.OVERHEAT, "c1", FaultScope.CHIP, T0, T0 + 8000,
                        FaultEvent.Phase.END));
        assertThat(EvalScore.faults(events)).containsExactly(
                new EvalScore.TruthFault("f-1", FaultType.OVERHEAT, "c1", T0, T0 + 8000));

        Anomaly open = anomaly(AnomalyType.OVERHEAT, "c1", 1, 1, List.of());
        Anomaly closed = open.close(T0 + 50_000);
        assertThat(EvalScore.opens(List.of(closed, open, open))).containsExactly(open);
        assertThat(EvalScore.opens(List.of(closed))).containsExactly(closed);
    }

    @Test
    void theJsonHasExactlyTheShapeOfContractsSection4() throws Exception {
        EvalScore.Report r = score(
                List.of(fault("f-1", FaultType.OVERHEAT, "p00-r01-n02-c03", 30, 120),
                        fault("f-2", FaultType.SENSOR_GLITCH, "p00-r01-n02-c04", 60, 61)),
                List.of(anomaly(AnomalyType.OVERHEAT, "p00-r01-n02-c03", 33, 33, List.of())));
        EvalRun.Result result = new EvalRun.Result(List.of(), new ArrayList<>(), T0 + RUN, RUN, 1_200_000,
                Duration.ZERO, Duration.ZERO);
        JsonNode json = new ObjectMapper().readTree(EvalCommand.toJson("thermal",
                SimulationConfig.builder().chips(2000).build(), result, r));

        JsonNode overheat = json.get("faultTypes").get("overheat");
        assertThat(overheat.get("injected").asInt()).isEqualTo(1);
        assertThat(overheat.get("detected").asInt()).isEqualTo(1);
        assertThat(overheat.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(overheat.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(overheat.get("f1").asDouble()).isEqualTo(1.0);
        assertThat(overheat.get("latencyP50S").asDouble()).isEqualTo(3.0);
        assertThat(overheat.get("latencyP95S").asDouble()).isEqualTo(3.0);
        assertThat(json.get("faultTypes").get("sensor_glitch").get("mustNotAlert").asBoolean()).isTrue();
        assertThat(json.get("falsePositives").asInt()).isZero();
        assertThat(json.get("falsePositivesPer1000ChipHours").asDouble()).isZero();
        assertThat(json.get("chips").asInt()).isEqualTo(2000);
    }
}
