package io.chipwatch.alerting.pathwatch;

import io.chipwatch.alerting.notify.ReceiverHealth;
import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPathTest {
    @Test
    void aReceiverFailingForTheLimitIsAProblemNamingIt() {
        long t = 1_000_000;
        List<ReceiverHealth.Status> health = List.of(
                new ReceiverHealth.Status("alertmanager", true, 0, 0, "", null, t - 1_000),
                new ReceiverHealth.Status("webhook-1", false, 7, 3, "HTTP 503", t - 30_000, t - 31_000),
                new ReceiverHealth.Status("webhook-2", true, 2, 1, "refused", t - 29_999, null));
        List<PathProblem> problems = new DeliveryPath(() -> health, Duration.ofSeconds(30)).problems(t);
        assertThat(problems).extracting(PathProblem::entity).containsExactly("webhook-1");
        assertThat(problems.get(0).facts()).containsEntry(Fact.FAILING_S, 30.0);
        assertThat(problems.get(0).detail()).isEqualTo("receiver webhook-1 has failed every delivery for 30 s "
                + "(limit 30 s), 7 in a row, 3 notification(s) waiting and retried: pages sent to it are not "
                + "arriving; last error: HTTP 503");
    }
}
