/**
 * The anomaly event: what detectors publish on the Kafka topic {@code anomalies} (key: anomaly id, value:
 * {@link io.chipwatch.model.anomaly.AnomalyCodec}) and the alerting service turns into alerts. An anomaly is
 * published once when it opens and once when it closes, with the same id.
 */
package io.chipwatch.model.anomaly;
