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
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");

    private final String source;
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template(String source) {
        this.source = source;
        Matcher m = PLACEHOLDER.matcher(source);
        int at = 0;
        while (m.find()) {
            literals.add(source.substring(at, m.start()));
            names.add(m.group(1));
            at = m.end();
        }
        literals.add(source.substring(at));
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder or a stray "{{"
     */
    public static Template parse(String source, Set<String> known) {
        Template t = new Template(source == null ? "" : source);
        for (String name : t.names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        for (String literal : t.literals) {
            if (literal.contains("{{")) {
                throw new IllegalArgumentException("\"{{\" without a valid {{name}} placeholder");
            }
        }
        return t;
    }

    /** The text with every placeholder replaced; a name without a value gives the empty string. */
    public String render(Map<String, String> values) {
        StringBuilder sb = new StringBuilder(literals.get(0));
        for (int i = 0; i < names.size(); i++) {
            sb.append(values.getOrDefault(names.get(i), "")).append(literals.get(i + 1));
        }
        return sb.toString();
    }

    public String source() {
        return source;
    }
}
