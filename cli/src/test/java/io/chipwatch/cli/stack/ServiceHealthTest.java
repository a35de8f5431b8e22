package io.chipwatch.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ServiceHealth} on what the alerting service's and the collector's {@code /healthz} answer. */
class ServiceHealthTest {

    @Test
    void theAlertingServicesAnomalyConsumerIsReadFromItsHealthz() throws Exception {
        ServiceHealth.Alerting ok = ServiceHealth.alerting(200, "{\"status\":\"ok\",\"checks\":{\"anomalyConsumer\":"
                + "{\"alive\":true,\"lastPollAgeMs\":1200,\"lag\":1500,\"caughtUp\":false,\"failures\":2,"
                + "\"lastError\":\"org.apache.kafka.common.errors.TimeoutException: Timed out\"}}}");
        assertThat(ok.state()).isEqualTo("up");
        assertThat(ok.consumerLastPollAgeS()).isEqualTo(1.2);
        assertThat(ok.consumerLagRecords()).isEqualTo(1_500L);
        assertThat(ok.consumerFailures()).isEqualTo(2L);
        assertThat(ok.note()).isEqualTo("anomaly consumer polled 1 s ago, 1,500 behind, catching up, last error: "
                + "org.apache.kafka.common.errors.TimeoutException: Timed out");
        JsonNode json = new ObjectMapper().valueToTree(ok);
        assertThat(json.get("consumerLastPollAgeS").asDouble()).isEqualTo(1.2);
        assertThat(json.has("note")).isFalse();

        ServiceHealth.Alerting dead = ServiceHealth.alerting(503, "{\"status\":\"unhealthy\",\"checks\":"
                + "{\"anomalyConsumer\":{\"alive\":false,\"lastPollAgeMs\":75000,\"lag\":-1,\"caughtUp\":true,"
                + "\"failures\":0,\"lastError\":null}}}");
        assertThat(dead.state()).isEqualTo("down");
        assertThat(dead.consumerLagRecords()).as("-1: not known yet").isNull();
        assertThat(dead.consumerLastError()).isNull();
        assertThat(dead.note()).isEqualTo("anomaly consumer thread gone");

        assertThat(ServiceHealth.alerting(502, "<html>bad gateway</html>").consumerAlive()).isNull();
        assertThat(ServiceHealth.alerting(null).state()).as("not running").isEqualTo("down");
    }

    @Test
    void theCollectorSaysWhyItStalled() {
        assertThat(ServiceHealth.collector(200, "ok\n")).isEqualTo(new ServiceHealth.Collector("up", "ok"));
        assertThat(ServiceHealth.collector(200, "ok\n").note()).isEmpty();
        ServiceHealth.Collector stalled = ServiceHealth.collector(503, "stalled: no tick for 12.0 s (limit 10.0 s)\n");
        assertThat(stalled.state()).isEqualTo("down");
        assertThat(stalled.note()).isEqualTo("stalled: no tick for 12.0 s (limit 10.0 s)");
        assertThat(ServiceHealth.collector(null)).isEqualTo(new ServiceHealth.Collector("down", null));
    }
}
