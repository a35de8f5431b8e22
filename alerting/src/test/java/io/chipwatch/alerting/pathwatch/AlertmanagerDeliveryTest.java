package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AlertmanagerDelivery} on Alertmanager's own {@code /metrics} text, check by check. */
class AlertmanagerDeliveryTest {
    private static final long T0 = 1_767_225_600_000L;
    private final AtomicInteger restarts = new AtomicInteger();
    private final AlertmanagerDelivery probe = new AlertmanagerDelivery("http://127.0.0.1:9093/",
            Duration.ofSeconds(30), restarts::incrementAndGet);

    /** What Alertmanager 0.27 serves, trimmed to the notification counters (and one line that looks alike). */
    private static String metrics(int webhookAttempts, int webhookRefused, int webhookTimeouts, int emailAttempts) {
        return """
                # HELP alertmanager_notifications_failed_total The total number of failed notifications.
                # TYPE alertmanager_notifications_failed_total counter
                alertmanager_notifications_failed_total{integration="email",reason="other"} 0
                alertmanager_notifications_failed_total{integration="webhook",reason="clientError"} 0
                alertmanager_notifications_failed_total{integration="webhook",reason="other"} %d
                alertmanager_notifications_failed_total{integration="webhook",reason="serverError"} %d
                # HELP alertmanager_notifications_total The total number of attempted notifications.
                # TYPE alertmanager_notifications_total counter
                alertmanager_notifications_total{integration="email"} %d
                alertmanager_notifications_total{integration="webhook"} %d
                alertmanager_notification_requests_total{integration="webhook"} 999
                """.formatted(webhookRefused, webhookTimeouts, emailAttempts, webhookAttempts);
    }

    @Test
    void everyWebhookAttemptFailingForTheLimitIsOneProblemClearedByASuccess() {
        assertThat(AlertmanagerDelivery.counts(metrics(12, 2, 1, 4))).containsOnlyKeys("email", "webhook")
                .hasEntrySatisfying("webhook", c -> assertThat(c).containsExactly(12.0, 3.0));
        assertThat(probe.judge(AlertmanagerDelivery.counts(metrics(12, 2, 1, 4)), T0)).as("first look").isEmpty();
        assertThat(probe.judge(AlertmanagerDelivery.counts(metrics(15, 5, 1, 5)), T0 + 5_000))
                .as("3 attempts, 3 failed: failing since now").isEmpty();
        assertThat(probe.judge(AlertmanagerDelivery.counts(metrics(15, 5, 1, 6)), T0 + 20_000))
                .as("no attempt: no news").isEmpty();
        List<PathProblem> p = probe.judge(AlertmanagerDelivery.counts(metrics(17, 6, 2, 7)), T0 + 35_000);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.entity()).isEqualTo("alertmanager-webhook");
            assertThat(problem.sinceMillis()).isEqualTo(T0 + 5_000);
            assertThat(problem.facts()).containsEntry(Fact.FAILING_S, 30.0);
            assertThat(problem.detail()).isEqualTo("Alertmanager has failed every webhook notification for 30 s "
                    + "(limit 30 s; alertmanager_notifications_failed_total, 2 of 2 attempts failed since the last "
                    + "check): pages it routes there are not arriving");
        });
        assertThat(probe.judge(AlertmanagerDelivery.counts(metrics(19, 7, 2, 8)), T0 + 40_000))
                .as("one of two attempts delivered").isEmpty();
    }

    @Test
    void countersThatWentBackwardsAreARestartNotAFailure() {
        probe.judge(AlertmanagerDelivery.counts(metrics(10, 10, 0, 0)), T0);
        probe.judge(AlertmanagerDelivery.counts(metrics(20, 20, 0, 0)), T0 + 5_000);
        assertThat(probe.judge(AlertmanagerDelivery.counts(metrics(2, 2, 0, 0)), T0 + 40_000)).isEmpty();
    }

    @Test
    void aNewProcessStartTimeIsARestartTheFirstAnswerAndAnUnchangedOneAreNot() {
        String started = "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1.79632039711e+09\n";
        probe.noticeRestart(metrics(1, 0, 0, 0) + started);
        probe.noticeRestart(started + metrics(2, 0, 0, 0));
        probe.noticeRestart(metrics(3, 0, 0, 0));
        assertThat(restarts).as("first answer, the same process, no start time").hasValue(0);
        probe.noticeRestart("process_start_time_seconds 1.79632051e+09\n" + metrics(0, 0, 0, 0));
        assertThat(restarts).as("a new process").hasValue(1);
        probe.noticeRestart("process_start_time_seconds 1.79632051e+09\n");
        assertThat(restarts).as("still that process").hasValue(1);
    }
}
