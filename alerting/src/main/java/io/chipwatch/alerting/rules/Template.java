package io.chipwatch.alerting.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label or annotation value with {@code {{name}}} placeholders, filled from the anomaly (see
 * {@link AlertFactory#VARIABLES} for the names). Parsed once at start: an unknown name fails the rules file.
 *
 * <p>A placeholder with no value (an idle chip's {@code job}, a fact the anomaly does not carry) is left out, never
 * printed as {@code -} or {@code n/a}. Text that only makes sense with its values goes in an <b>optional section</b>
 * {@code [[...]]}: the section is rendered only when every placeholder in it has a value, e.g.
 * {@code "Chip {{chip}} overheating[[: {{temp_c}} °C (limit {{limit_c}} °C)]]"} gives {@code "Chip c overheating"}
 * for an anomaly without those facts. Sections do not nest. Runs of spaces left by empty values collapse to one and
 * the text is trimmed.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final String OPEN = "[[";
    private static final String CLOSE = "]]";

    private final String source;
    private final List<Section> sections = new ArrayList<>();

    /** A stretch of the template: always rendered, or optional (rendered only when all its names have values). */
    private record Section(boolean optional, List<String> literals, List<String> names) {
        static Section of(String text, boolean optional) {
            List<String> literals = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(text);
            int at = 0;
            while (m.find()) {
                literals.add(text.substring(at, m.start()));
                names.add(m.group(1));
                at = m.end();
            }
            literals.add(text.substring(at));
            return new Section(optional, literals, names);
        }

        boolean complete(Map<String, String> values) {
            for (String name : names) {
                String v = values.get(name);
                if (v == null || v.isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        void render(Map<String, String> values, StringBuilder sb) {
            sb.append(literals.get(0));
            for (int i = 0; i < names.size(); i++) {
                sb.append(values.getOrDefault(names.get(i), "")).append(literals.get(i + 1));
            }
        }
    }

    private Template(String source) {
        this.source = source;
        int at = 0;
        while (at < source.length()) {
            int open = source.indexOf(OPEN, at);
            int close = source.indexOf(CLOSE, at);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("\"]]\" without its \"[[\" at " + close);
            }
            if (open < 0) {
                sections.add(Section.of(source.substring(at), false));
                break;
            }
            sections.add(Section.of(source.substring(at, open), false));
            int end = source.indexOf(CLOSE, open + OPEN.length());
            int nested = source.indexOf(OPEN, open + OPEN.length());
            if (end < 0) {
                throw new IllegalArgumentException("\"[[\" at " + open + " is never closed with \"]]\"");
            }
            if (nested >= 0 && nested < end) {
                throw new IllegalArgumentException("optional sections do not nest (\"[[\" at " + nested + ")");
            }
            sections.add(Section.of(source.substring(open + OPEN.length(), end), true));
            at = end + CLOSE.length();
        }
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder, a stray "{{", or an unbalanced or
     *                                  nested optional section
     */
    public static Template parse(String source, Set<String> known) {
        Template t = new Template(source == null ? "" : source);
        for (Section s : t.sections) {
            for (String name : s.names()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown placeholder {{" + name + "}} (known: "
                            + String.join(", ", new TreeSet<>(known)) + ")");
                }
            }
            for (String literal : s.literals()) {
                if (literal.contains("{{")) {
                    throw new IllegalArgumentException("\"{{\" without a valid {{name}} placeholder");
                }
            }
        }
        return t;
    }

    /**
     * The text with every placeholder replaced: a name without a value (absent or empty) gives nothing, an optional
     * section with such a name is left out whole; spaces collapsed, trimmed.
     */
    public String render(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections) {
            if (!s.optional() || s.complete(values)) {
                s.render(values, sb);
            }
        }
        return tidy(sb);
    }

    /** Collapses runs of spaces to one, drops a space before {@code . , ; )} and trims. */
    private static String tidy(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' && (out.isEmpty() || out.charAt(out.length() - 1) == ' ')) {
                continue;
            }
            boolean closing = c == '.' || c == ',' || c == ';' || c == ')';
            if (closing && !out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            out.append(c);
        }
        while (!out.isEmpty() && Character.isWhitespace(out.charAt(out.length() - 1))) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    public String source() {
        return source;
    }
}
