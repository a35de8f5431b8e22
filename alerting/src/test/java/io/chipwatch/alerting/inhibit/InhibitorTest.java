package io.chipwatch.alerting.inhibit;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.dedup.AlertStore;
import io.chipwatch.alerting.pipeline.Batch;
import io.chipwatch.alerting.rules.AlertFactory;
import io.chipwatch.alerting.rules.RulesLoader;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.MutableClock;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Scope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default inhibition rules: node_down mutes its chips, rack_cooling its chips' thermal alerts, telemetry_silent
 * every chip and node availability alert.
 */
class InhibitorTest {
    private final MutableClock clock = new MutableClock();
    private final AlertStore store = new AlertStore(new AlertFactory(RulesLoader.loadDefaults()), clock);
    private final Inhibitor inhibitor = new Inhibitor(RulesLoader.loadDefaults().inhibitRules(), store::firing);
    private final InhibitStage stage = new InhibitStage(inhibitor);

    private Alert open(Anomaly a) {
        Alert alert = store.apply(a).after();
        inhibitor.invalidate();
        return alert;
    }

    private Batch batch(Alert... alerts) {
        return new Batch("r", "g", Map.of(), List.of(alerts), null, clock.millis());
    }

    @Test
    void nodeDownInhibitsTheChipAlertsOfThatNodeOnly() {
        Alert chipDown = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        Alert otherNode = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n05-c03", clock.millis()));
        assertThat(inhibitor.isInhibited(chipDown)).as("must fire before the node alert exists").isFalse();
        Alert nodeDown = open(Anomalies.node(AnomalyType.NODE_DOWN, "p00-r01-n02", clock.millis()));
        assertThat(inhibitor.inhibitedBy(chipDown)).containsExactly(nodeDown.fingerprint());
        assertThat(inhibitor.isInhibited(otherNode)).as("another node's chip must still fire").isFalse();
        assertThat(inhibitor.isInhibited(nodeDown)).as("the root cause itself fires").isFalse();
        assertThat(stage.apply(batch(chipDown, otherNode, nodeDown)).alerts())
                .containsExactly(otherNode, nodeDown);
    }

    @Test
    void telemetrySilenceHoldsBackEveryChipAndNodeAvailabilityAlertButNothingElseAndIsNeverInhibited() {
        Alert chipDown = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        Alert nodeDown = open(Anomalies.node(AnomalyType.NODE_DOWN, "p03-r04-n05", clock.millis()));
        Alert hot = open(Anomalies.chip(AnomalyType.OVERHEAT, "p00-r01-n02-c04", clock.millis()));
        Alert silent = open(Anomaly.builder().type(AnomalyType.TELEMETRY_SILENT).scope(Scope.SOURCE)
                .entity("collector").startMillis(clock.millis()).eventMillis(clock.millis()).value(12)
                .threshold(10).detail("no sample written to chip-samples for 12.0 s").build());

        assertThat(inhibitor.inhibitedBy(chipDown)).containsExactly(silent.fingerprint());
        assertThat(inhibitor.inhibitedBy(nodeDown)).as("any node, no label to share")
                .containsExactly(silent.fingerprint());
        assertThat(inhibitor.isInhibited(hot)).as("an overheating chip is not explained by silence").isFalse();
        assertThat(inhibitor.isInhibited(silent)).as("chip and node alerts never mute the telemetry path's")
                .isFalse();
        assertThat(stage.apply(batch(chipDown, nodeDown, hot, silent)).alerts()).containsExactly(hot, silent);
    }

    @Test
    void aScrapeTargetThatStoppedAnsweringHoldsBackOnlyItsOwnNodesAvailabilityAlerts() {
        Alert nodeDown = open(Anomalies.node(AnomalyType.NODE_DOWN, "p00-r01-n02", clock.millis()));
        Alert chipDown = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        Alert otherNode = open(Anomalies.node(AnomalyType.NODE_DOWN, "p03-r04-n05", clock.millis()));
        Alert targetDown = open(Anomaly.builder().type(AnomalyType.TELEMETRY_SILENT).scope(Scope.SOURCE)
                .entity("http://10.0.0.7:9400/metrics").tag("node", "p00-r01-n02").tag("rack", "p00-r01")
                .tag("pod", "p00").startMillis(clock.millis()).eventMillis(clock.millis()).value(12).threshold(10)
                .detail("source http://10.0.0.7:9400/metrics of node p00-r01-n02 has not answered for 12.0 s").build());

        assertThat(inhibitor.inhibitedBy(nodeDown)).containsExactly(targetDown.fingerprint());
        assertThat(inhibitor.inhibitedBy(chipDown)).as("by its node's NodeDown, itself held back, and the target")
                .containsExactlyInAnyOrder(nodeDown.fingerprint(), targetDown.fingerprint());
        assertThat(inhibitor.isInhibited(otherNode)).as("another node is not explained by this exporter").isFalse();
        assertThat(inhibitor.isInhibited(targetDown)).isFalse();
    }

    @Test
    void rackCoolingInhibitsItsChipsThermalAlertsButNotOthers() {
        Alert hot = open(Anomalies.chip(AnomalyType.OVERHEAT, "p00-r01-n02-c03", clock.millis()));
        Alert straggler = open(Anomalies.chip(AnomalyType.STRAGGLER, "p00-r01-n02-c04", clock.millis()));
        Alert hotElsewhere = open(Anomalies.chip(AnomalyType.OVERHEAT, "p00-r02-n02-c03", clock.millis()));
        open(Anomalies.rack(AnomalyType.RACK_COOLING, "p00-r01", clock.millis()));
        assertThat(inhibitor.isInhibited(hot)).isTrue();
        assertThat(inhibitor.isInhibited(straggler)).as("not thermal").isFalse();
        assertThat(inhibitor.isInhibited(hotElsewhere)).as("another rack").isFalse();
    }

    @Test
    void aResolvedSourceNoLongerInhibitsAndResolvedTargetsAlwaysPass() {
        Alert chipDown = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        Anomaly node = Anomalies.node(AnomalyType.NODE_DOWN, "p00-r01-n02", clock.millis());
        open(node);
        assertThat(inhibitor.isInhibited(chipDown)).isTrue();
        store.apply(node.close(clock.millis() + 1000));
        inhibitor.invalidate();
        assertThat(inhibitor.isInhibited(chipDown)).as("must fire once the node is back").isFalse();

        Alert resolvedChip = store.apply(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis())
                .close(clock.millis() + 5)).after();
        assertThat(resolvedChip).isNotNull();
        open(Anomalies.node(AnomalyType.NODE_DOWN, "p00-r01-n02", clock.millis() + 10));
        assertThat(stage.apply(batch(resolvedChip)).alerts()).containsExactly(resolvedChip);
    }

    @Test
    void chipDownInhibitsTheOtherAlertsOfTheSameChip() {
        Alert stuck = open(Anomalies.chip(AnomalyType.STUCK_SENSOR, "p00-r01-n02-c03", clock.millis()));
        Alert down = open(Anomalies.chip(AnomalyType.CHIP_DOWN, "p00-r01-n02-c03", clock.millis()));
        assertThat(inhibitor.isInhibited(stuck)).isTrue();
        assertThat(inhibitor.isInhibited(down)).isFalse();
    }
}
