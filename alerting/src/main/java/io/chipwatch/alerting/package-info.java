/**
 * The alerting service: turns anomaly events from the {@code anomalies} topic into alerts for on-call staff
 * (dedup, grouping, inhibition, silences, delivery to Alertmanager and webhooks). Built in its own issue; the
 * module exists so that the build already has its place.
 */
package io.chipwatch.alerting;
