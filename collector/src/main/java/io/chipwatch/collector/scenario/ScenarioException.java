package io.chipwatch.collector.scenario;

/** A scenario file that cannot be used; the message names the file and the field, e.g. {@code faults[2].type}. */
public final class ScenarioException extends IllegalArgumentException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
