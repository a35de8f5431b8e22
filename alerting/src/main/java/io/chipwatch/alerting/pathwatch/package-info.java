/**
 * The path watch: faults of Chipwatch's own telemetry path that are not a silence, each raised once as a
 * {@link io.chipwatch.model.anomaly.AnomalyType#PIPELINE_DEGRADED} anomaly naming the component. {@link
 * io.chipwatch.alerting.pathwatch.PathWatch} runs the {@link io.chipwatch.alerting.pathwatch.PathProbe}s: Kafka not
 * answering and jobs behind the newest sample ({@link io.chipwatch.alerting.pathwatch.KafkaPath}), InfluxDB not
 * answering ({@link io.chipwatch.alerting.pathwatch.InfluxPing}), a receiver failing every delivery
 * ({@link io.chipwatch.alerting.pathwatch.DeliveryPath}). docs/SELF-MONITORING.md.
 */
package io.chipwatch.alerting.pathwatch;
