package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertmanagerConfigTest {

    @Test
    void theRenderedAlertmanagerConfigRoutesToTheRightReceiver() {
        assertThat(AlertmanagerConfig.nullReceiver().render()).contains("receiver: chipwatch-null")
                .doesNotContain("webhook_configs");
        assertThat(AlertmanagerConfig.webhooks("http://h:1/x").render()).contains("receiver: chipwatch-webhook",
                "url: 'http://h:1/x'", "send_resolved: true", "group_by: ['alertname', 'entity']");
    }

    @Test
    void theWatchdogIsNeverPaged() {
        assertThat(AlertmanagerConfig.webhooks("http://h:1/x").render()).contains("""
                  routes:
                    - receiver: chipwatch-null
                      matchers: ['alertname="Watchdog"']
                """);
    }
}
