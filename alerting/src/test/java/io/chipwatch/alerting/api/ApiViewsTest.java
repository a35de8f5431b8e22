package io.chipwatch.alerting.api;

import io.chipwatch.alerting.alert.Acknowledgement;
import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.alert.AlertStatus;
import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.engine.AlertInfo;
import io.chipwatch.alerting.silence.Silence;
import io.chipwatch.infra.http.JsonHttpServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's JSON, field for field as the on-call page, the CLI and scripts read it. */
class ApiViewsTest {
    private static final long T = 1_700_000_000_000L;

    private static String json(Object view) throws Exception {
        return JsonHttpServer.JSON.writeValueAsString(view);
    }

    @Test
    void anAlertWithItsAcknowledgementAndWhatMutesIt() throws Exception {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("alertname", "ChipDown");
        labels.put("severity", "critical");
        labels.put("entity", "p00-r01-n02-c03");
        Alert a = new Alert("92706d8481d26608", labels, new TreeMap<>(Map.of("summary", "down")),
                AlertStatus.FIRING, T - 1000, T, T, null, T, T, List.of("chip_down:x:1"), List.of(), 97.5, 95,
                new Acknowledgement("alice", T, "on it"));
        assertThat(json(AlertView.of(new AlertInfo(a, List.of("s-1"), List.of())))).isEqualTo(
                "{\"fingerprint\":\"92706d8481d26608\",\"alertname\":\"ChipDown\",\"severity\":\"critical\","
                + "\"status\":\"firing\",\"entity\":\"p00-r01-n02-c03\",\"labels\":{\"alertname\":\"ChipDown\","
                + "\"entity\":\"p00-r01-n02-c03\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"down\"},"
                + "\"startsAt\":\"2023-11-14T22:13:19Z\",\"firingAt\":\"2023-11-14T22:13:20Z\",\"endsAt\":null,"
                + "\"updatedAt\":\"2023-11-14T22:13:20Z\",\"value\":97.5,\"threshold\":95.0,"
                + "\"anomalyIds\":[\"chip_down:x:1\"],\"acknowledged\":{\"by\":\"alice\",\"at\":\"2023-11-14T22:13:20Z\","
                + "\"comment\":\"on it\"},\"silencedBy\":[\"s-1\"],\"inhibitedBy\":[],\"suppressed\":true}");
    }

    @Test
    void aResolvedAlertWithoutEvidence() throws Exception {
        Alert a = new Alert("0123456789abcdef", new TreeMap<>(), null, AlertStatus.RESOLVED, T, T, null, T + 5000,
                T, T + 5000, List.of(), List.of(), Double.NaN, Double.POSITIVE_INFINITY, null);
        assertThat(json(AlertView.resolved(a))).isEqualTo(
                "{\"fingerprint\":\"0123456789abcdef\",\"alertname\":\"\",\"severity\":\"\",\"status\":\"resolved\","
                + "\"entity\":null,\"labels\":{},\"annotations\":{},\"startsAt\":\"2023-11-14T22:13:20Z\","
                + "\"firingAt\":null,\"endsAt\":\"2023-11-14T22:13:25Z\",\"updatedAt\":\"2023-11-14T22:13:25Z\","
                + "\"value\":null,\"threshold\":null,\"anomalyIds\":[],\"acknowledged\":null,\"silencedBy\":[],"
                + "\"inhibitedBy\":[],\"suppressed\":false}");
    }

    @Test
    void aSilenceWithItsStateNow() throws Exception {
        Silence s = new Silence("d667ea85-b8b7-4ec8-b0c6-8c7312e793c5",
                List.of(Matcher.parse("node=\"p00-r01-n02\""), Matcher.regex("alertname", "Str.*")), T, T + 7_200_000,
                "bob", "swap", T);
        assertThat(json(SilenceView.of(s, T + 1))).isEqualTo(
                "{\"id\":\"d667ea85-b8b7-4ec8-b0c6-8c7312e793c5\",\"matchers\":[{\"name\":\"node\",\"value\":"
                + "\"p00-r01-n02\",\"isRegex\":false,\"isEqual\":true},{\"name\":\"alertname\",\"value\":\"Str.*\","
                + "\"isRegex\":true,\"isEqual\":true}],\"startsAt\":\"2023-11-14T22:13:20Z\",\"endsAt\":"
                + "\"2023-11-15T00:13:20Z\",\"updatedAt\":\"2023-11-14T22:13:20Z\",\"createdBy\":\"bob\","
                + "\"comment\":\"swap\",\"state\":\"active\",\"origin\":\"chipwatch\",\"alertmanagerId\":null}");
    }

    @Test
    void aSilenceFromAlertmanagerSaysSo() throws Exception {
        Silence s = new Silence("5b1c0f7e-1d2a-4a4e-9f0e-3c1d2b3a4f5e", List.of(Matcher.equal("rack", "p00-r01")), T,
                T + 60_000, "amtool", "maintenance", T, Silence.Origin.ALERTMANAGER,
                "5b1c0f7e-1d2a-4a4e-9f0e-3c1d2b3a4f5e");
        assertThat(json(SilenceView.of(s, T + 1))).endsWith("\"state\":\"active\",\"origin\":\"alertmanager\","
                + "\"alertmanagerId\":\"5b1c0f7e-1d2a-4a4e-9f0e-3c1d2b3a4f5e\"}");
    }
}
