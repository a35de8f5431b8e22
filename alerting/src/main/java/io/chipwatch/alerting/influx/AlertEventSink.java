package io.chipwatch.alerting.influx;

import io.chipwatch.alerting.alert.Alert;

/** Where alert state changes are recorded (InfluxDB measurement {@code alert}); must not block. */
public interface AlertEventSink extends AutoCloseable {

    /** Records nothing. */
    AlertEventSink NONE = new AlertEventSink() {
        @Override
        public void record(Alert alert, String status, long timeMillis) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * One state change.
     *
     * @param status     {@code firing}, {@code resolved} or {@code acknowledged}
     * @param timeMillis when it happened
     */
    void record(Alert alert, String status, long timeMillis);

    @Override
    void close();
}
