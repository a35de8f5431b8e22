package io.chipwatch.collector.control;

import io.chipwatch.collector.sim.FaultStatus;
import io.chipwatch.infra.http.JsonHttpServer;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The control endpoint's JSON, field for field as the {@code fault} command and scripts read it. */
class FaultViewTest {

    private static String json(Object view) throws Exception {
        return JsonHttpServer.JSON.writeValueAsString(view);
    }

    @Test
    void anActiveLiveFault() throws Exception {
        FaultStatus s = new FaultStatus("live-3", FaultType.fromLabel("overheat"), "p00-r01-n02-c03", FaultScope.CHIP,
                FaultStatus.State.ACTIVE, "live", 1700000000000L, 1700000000100L, null, 0, "rate=1.2C/s");
        assertThat(json(FaultView.of(s))).isEqualTo("{\"id\":\"live-3\",\"type\":\"overheat\",\"target\":"
                + "\"p00-r01-n02-c03\",\"targetScope\":\"chip\",\"state\":\"active\",\"source\":\"live\","
                + "\"requestedAtMillis\":1700000000000,\"onsetMillis\":1700000000100,\"endMillis\":null,"
                + "\"durationMillis\":0,\"detail\":\"rate=1.2C/s\"}");
    }

    @Test
    void listingsClearedAndPending() throws Exception {
        FaultStatus s = new FaultStatus("f-1", FaultType.fromLabel("rack_cooling"), "random-rack", FaultScope.NODE,
                FaultStatus.State.PENDING, "scenario", null, null, 1700000060000L, 60000, null);
        String one = "{\"id\":\"f-1\",\"type\":\"rack_cooling\",\"target\":\"random-rack\",\"targetScope\":\"node\","
                + "\"state\":\"pending\",\"source\":\"scenario\",\"requestedAtMillis\":null,\"onsetMillis\":null,"
                + "\"endMillis\":1700000060000,\"durationMillis\":60000,\"detail\":null}";
        assertThat(json(new FaultView.Listing(FaultView.of(List.of(s))))).isEqualTo("{\"faults\":[" + one + "]}");
        assertThat(json(new FaultView.Cleared(List.of()))).isEqualTo("{\"cleared\":[]}");
        assertThat(json(FaultView.Pending.of("later"))).isEqualTo("{\"state\":\"pending\",\"detail\":\"later\"}");
    }
}
