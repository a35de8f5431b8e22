package io.chipwatch.jobs.sink.influx;

/**
 * Writes points as InfluxDB 1.x line protocol straight into a {@link StringBuilder}: one
 * {@code measurement[,tag=value...] field=value[,field=value...] timestamp} line per point, each ended by a newline,
 * timestamps in milliseconds (the sink writes with millisecond precision). The lean replacement of influxdb-java's
 * {@code Point}, which built maps, sorted them and formatted every number with a {@code DecimalFormat}.
 *
 * <p>Use: {@link #measurement}, then {@link #tag}s (in key order, which is how InfluxDB stores them; callers write
 * them sorted), then at least one {@code field}, then {@link #time}, which ends the line.
 *
 * <p>Escaping (line protocol reference, "Special characters"): in the measurement a comma or space is preceded by a
 * backslash; in tag keys, tag values and field keys also an equals sign; in string field values a double quote or
 * backslash. Other backslashes are literal. A newline cannot be written in a name or tag value, nor can a name or tag
 * value end with a backslash (it would escape the separator after it): those are rejected with an
 * {@link IllegalArgumentException}, as is an empty name. A tag with an empty value is left out (InfluxDB has no
 * empty tag values), and so is a float field that is not finite (InfluxDB has no NaN or infinity).
 *
 * <p>Numbers: floats in {@link Double#toString} form ({@code 0.5}, {@code 1.0E-7}; InfluxDB parses the exponent
 * form, and the text reads back as the same double), integers with the {@code i} suffix.
 */
public final class LineProtocol {
    private final StringBuilder out;
    private int fields = -1;

    /** Appends lines to {@code out}. */
    public LineProtocol(StringBuilder out) {
        this.out = out;
    }

    /** The line of {@code value}'s point by {@code converter}, without its newline; for tests and benchmarks. */
    public static <T> String line(PointConverter<T> converter, T value) {
        StringBuilder text = new StringBuilder(256);
        converter.write(value, new LineProtocol(text));
        return text.substring(0, text.length() - 1);
    }

    /** Starts a point. */
    public LineProtocol measurement(String name) {
        if (fields >= 0) {
            throw new IllegalStateException("the previous point has no timestamp yet");
        }
        escape(name, false, "measurement");
        fields = 0;
        return this;
    }

    /** Adds a tag; left out when {@code value} is empty. Call in key order, before the fields. */
    public LineProtocol tag(String key, String value) {
        if (fields != 0) {
            throw new IllegalStateException(fields < 0 ? "no measurement" : "tags go before the fields");
        }
        if (value == null || value.isEmpty()) {
            return this;
        }
        out.append(',');
        escape(key, true, "tag key");
        out.append('=');
        escape(value, true, "tag value");
        return this;
    }

    /** Adds a float field; left out when not finite. */
    public LineProtocol field(String key, double value) {
        if (!Double.isFinite(value)) {
            return this;
        }
        fieldKey(key);
        out.append(value);
        return this;
    }

    /** Adds an integer field ({@code 42i}). */
    public LineProtocol field(String key, long value) {
        fieldKey(key);
        out.append(value).append('i');
        return this;
    }

    /** Adds a string field, quoted, its double quotes and backslashes escaped. */
    public LineProtocol field(String key, String value) {
        fieldKey(key);
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
        return this;
    }

    /**
     * Ends the point with its timestamp, epoch milliseconds.
     *
     * @throws IllegalStateException if the point has no field (InfluxDB would reject it)
     */
    public void time(long epochMillis) {
        if (fields <= 0) {
            throw new IllegalStateException(fields < 0 ? "no measurement" : "a point needs at least one field");
        }
        out.append(' ').append(epochMillis).append('\n');
        fields = -1;
    }

    /** Drops whatever was written from {@code length} on (a point that failed half-way) and expects a new point. */
    void discardFrom(int length) {
        out.setLength(length);
        fields = -1;
    }

    private void fieldKey(String key) {
        if (fields < 0) {
            throw new IllegalStateException("no measurement");
        }
        out.append(fields++ == 0 ? ' ' : ',');
        escape(key, true, "field key");
        out.append('=');
    }

    /** Appends {@code s} with commas and spaces (and equals signs where {@code equals}) escaped. */
    private void escape(String s, boolean equals, String what) {
        int n = s.length();
        if (n == 0 || s.charAt(n - 1) == '\\') {
            throw new IllegalArgumentException("a " + what + " cannot be written in line protocol: '" + s + "' "
                    + (n == 0 ? "is empty" : "ends with a backslash"));
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || (equals && c == '=')) {
                out.append('\\');
            } else if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("a " + what + " cannot hold a line break in line protocol: '"
                        + s + "'");
            }
            out.append(c);
        }
    }
}
