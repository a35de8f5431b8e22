package io.chipwatch.cli.stack.supervise;

/**
 * How a component's outage becomes visible as ONE telemetry-path alert naming the component: raised when the
 * supervisor finds it down, resolved once it serves again ({@link KafkaComponentAlerts}: a {@code telemetry_silent}
 * anomaly on the anomalies topic, which the alerting service reads like the detection job's).
 */
public interface ComponentAlerts extends AutoCloseable {

    /** Nothing raised (tests of the restart logic, a stack without alerting). */
    ComponentAlerts NONE = new ComponentAlerts() {
        @Override
        public void down(String component, long sinceMillis, String detail) {
        }

        @Override
        public void up(String component, long atMillis) {
        }
    };

    /** The component was found down at {@code sinceMillis}; {@code detail} says what the supervisor does. */
    void down(String component, long sinceMillis, String detail);

    /** The component serves again (restarted) at {@code atMillis}. */
    void up(String component, long atMillis);

    /** Sends what could not be sent yet (Kafka was the one down); called every tick. */
    default void flush() {
    }

    @Override
    default void close() {
    }
}
