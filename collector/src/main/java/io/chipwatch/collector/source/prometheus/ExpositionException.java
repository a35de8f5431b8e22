package io.chipwatch.collector.source.prometheus;

/** A body that is not valid Prometheus text exposition (format 0.0.4); the message names the line and the fault. */
public final class ExpositionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ExpositionException(int line, String message) {
        super("line " + line + ": " + message);
    }
}
