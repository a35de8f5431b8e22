package io.chipwatch.collector.source.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parses the Prometheus text exposition format, version 0.0.4 (what dcgm-exporter, node_exporter and most exporters
 * serve), as its specification defines it: one sample per line,
 * {@code metric_name [ "{" label_name "=" "\"" label_value "\"" { "," … } [ "," ] "}" ] value [ timestamp ]},
 * blanks and tabs between tokens, label values escaped with {@code \\}, {@code \"} and {@code \n}, values as Go's
 * float syntax including {@code NaN}, {@code +Inf} and {@code -Inf}, an optional integer timestamp in ms; lines
 * starting with {@code #} are {@code HELP}/{@code TYPE} metadata or comments, empty lines are ignored.
 *
 * <p>Why here and not a library: the Prometheus Java client (simpleclient and {@code prometheus-metrics-*}) only
 * writes the format, and no maintained Java parser of it resolves from the Maven repository this build uses (see
 * docs/SOURCES.md). This one is small and follows the specification; its tests run on dcgm-exporter's real output.
 *
 * <p>Like Prometheus, a malformed line fails the whole body: a partial scrape would look like chips gone silent.
 */
public final class TextFormatParser {

    private TextFormatParser() {
    }

    /** Every sample of the body. */
    public static List<Series> parse(String body) throws ExpositionException {
        return parse(body, name -> true);
    }

    /**
     * The samples whose metric name {@code wanted} accepts; every line is still checked, so a malformed body fails
     * whatever it holds.
     */
    public static List<Series> parse(String body, Predicate<String> wanted) throws ExpositionException {
        List<Series> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        int n = body.length();
        while (start <= n) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            lineNo++;
            String line = body.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            Series s = new LineParser(line, lineNo).sample(wanted);
            if (s != null) {
                out.add(s);
            }
            start = end + 1;
        }
        return out;
    }

    /** One line; a cursor over it. */
    private static final class LineParser {
        private final String line;
        private final int lineNo;
        private int pos;

        LineParser(String line, int lineNo) {
            this.line = line;
            this.lineNo = lineNo;
        }

        /** The line's sample, or null for a blank, comment or metadata line or an unwanted metric. */
        Series sample(Predicate<String> wanted) throws ExpositionException {
            skipBlanks();
            if (pos == line.length()) {
                return null;
            }
            if (line.charAt(pos) == '#') {
                metadata();
                return null;
            }
            String name = metricName();
            Map<String, String> labels = new LinkedHashMap<>();
            boolean blank = blanks();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                labels(labels);
                blank = blanks();
            }
            if (!blank || pos == line.length()) {
                throw error(pos == line.length() ? "missing value" : "expected a blank before the value");
            }
            double value = value(token());
            Long timestamp = null;
            if (blanks() && pos < line.length()) {
                String ts = token();
                try {
                    timestamp = Long.parseLong(ts);
                } catch (NumberFormatException e) {
                    throw error("timestamp \"" + ts + "\" is not an integer");
                }
                skipBlanks();
            }
            if (pos != line.length()) {
                throw error("unexpected text after the sample: \"" + line.substring(pos) + "\"");
            }
            return wanted.test(name) ? new Series(name, labels, value, timestamp) : null;
        }

        /** {@code # HELP name text}, {@code # TYPE name type} or any other comment. */
        private void metadata() throws ExpositionException {
            pos++;
            skipBlanks();
            String keyword = token();
            if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
                return;
            }
            if (!blanks()) {
                throw error("# " + keyword + " needs a metric name");
            }
            metricName();
            if (keyword.equals("TYPE")) {
                if (!blanks()) {
                    throw error("# TYPE needs a type");
                }
                String type = token();
                if (!List.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) {
                    throw error("unknown metric type \"" + type + "\"");
                }
                skipBlanks();
                if (pos != line.length()) {
                    throw error("unexpected text after # TYPE");
                }
            }
        }

        private void labels(Map<String, String> labels) throws ExpositionException {
            while (true) {
                skipBlanks();
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                String key = labelName();
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                String value = labelValue();
                if (labels.put(key, value) != null) {
                    throw error("label " + key + " given twice");
                }
                skipBlanks();
                if (pos >= line.length()) {
                    throw error("label set not closed");
                }
                char c = line.charAt(pos);
                if (c == ',') {
                    pos++;
                } else if (c != '}') {
                    throw error("expected ',' or '}' after label " + key + ", found '" + c + "'");
                }
            }
        }

        private String labelValue() throws ExpositionException {
            StringBuilder b = new StringBuilder();
            while (pos < line.length()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (pos >= line.length()) {
                        break;
                    }
                    char e = line.charAt(pos++);
                    switch (e) {
                        case '\\' -> b.append('\\');
                        case '"' -> b.append('"');
                        case 'n' -> b.append('\n');
                        default -> throw error("invalid escape \\" + e + " in a label value");
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("label value not closed");
        }

        private String metricName() throws ExpositionException {
            int from = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == from, true)) {
                pos++;
            }
            if (pos == from) {
                throw error("expected a metric name");
            }
            return line.substring(from, pos);
        }

        private String labelName() throws ExpositionException {
            int from = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == from, false)) {
                pos++;
            }
            if (pos == from) {
                throw error("expected a label name");
            }
            return line.substring(from, pos);
        }

        private static boolean isNameChar(char c, boolean first, boolean colon) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colon && c == ':'
                    || !first && c >= '0' && c <= '9';
        }

        private double value(String text) throws ExpositionException {
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "+Inf", "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            // Double.parseDouble also takes hex, "Infinity" and a trailing d/f: none of them is the format.
            boolean digit = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                digit |= c >= '0' && c <= '9';
                if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                    digit = false;
                    break;
                }
            }
            if (digit) {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw error(text.isEmpty() ? "missing value" : "value \"" + text + "\" is not a number");
        }

        private String token() {
            int from = pos;
            while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
                pos++;
            }
            return line.substring(from, pos);
        }

        private void expect(char c) throws ExpositionException {
            if (pos >= line.length() || line.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** Skips blanks; whether there was at least one. */
        private boolean blanks() {
            int from = pos;
            skipBlanks();
            return pos > from;
        }

        private void skipBlanks() {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private ExpositionException error(String message) {
            return new ExpositionException(lineNo, message);
        }
    }
}
