/**
 * The alerting service: turns anomaly events from the {@code anomalies} topic into alerts for on-call staff, in
 * the style of Prometheus Alertmanager. {@link io.chipwatch.alerting.AlertingMain} is the command line,
 * {@link io.chipwatch.alerting.AlertingService} the running service (infra's {@code LocalAlertmanager} runs a
 * real Alertmanager beside it as a local process). The stages live in their own packages ({@code dedup},
 * {@code group}, {@code inhibit}, {@code silence}, {@code ack}) on {@code pipeline}'s {@code Stage}; receivers in
 * {@code notify}; see {@code alerting/README.md}.
 */
package io.chipwatch.alerting;
