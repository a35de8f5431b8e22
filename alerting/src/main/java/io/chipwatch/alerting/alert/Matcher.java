package io.chipwatch.alerting.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as in Alertmanager: {@code name="value"}, {@code name!="value"}, {@code name=~"regex"},
 * {@code name!~"regex"}. Regular expressions are anchored (they match the whole value); a missing label matches
 * as the empty string. Used by silences and inhibition rules.
 *
 * <p>JSON form (Alertmanager API v2): {@code {"name":..,"value":..,"isRegex":..,"isEqual":..}}.
 */
public final class Matcher {

    /** Label names as Prometheus allows them. */
    public static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TEXT_FORM =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\"]*?)\\s*");

    private final String name;
    private final String value;
    private final boolean isRegex;
    private final boolean isEqual;
    private final Pattern pattern;

    @JsonCreator
    public Matcher(@JsonProperty("name") String name, @JsonProperty("value") String value,
                   @JsonProperty("isRegex") Boolean isRegex, @JsonProperty("isEqual") Boolean isEqual) {
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("matcher name " + (name == null ? "is missing" : "\"" + name
                    + "\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"));
        }
        this.name = name;
        this.value = Objects.requireNonNullElse(value, "");
        this.isRegex = isRegex != null && isRegex;
        this.isEqual = isEqual == null || isEqual;
        if (this.isRegex) {
            try {
                this.pattern = Pattern.compile("^(?:" + this.value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher " + name + ": \"" + this.value
                        + "\" is not a valid regular expression: " + e.getDescription());
            }
        } else {
            this.pattern = null;
        }
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(name, value, false, true);
    }

    public static Matcher regex(String name, String regex) {
        return new Matcher(name, regex, true, true);
    }

    /**
     * Parses the text form, e.g. {@code alertname="NodeDown"}, {@code scope=~"chip|link"}, {@code rack=p00-r01}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Matcher parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("matcher is missing");
        }
        java.util.regex.Matcher m = TEXT_FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a matcher (e.g. alertname=\"NodeDown\", "
                    + "scope=~\"chip|link\")");
        }
        String raw = m.group(3);
        String value = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
                ? raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1") : raw;
        String op = m.group(2);
        return new Matcher(m.group(1), value, op.contains("~"), !op.startsWith("!"));
    }

    /** True when the labels satisfy this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        boolean hit = isRegex ? pattern.matcher(actual).matches() : actual.equals(value);
        return hit == isEqual;
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonProperty("value")
    public String value() {
        return value;
    }

    @JsonProperty("isRegex")
    public boolean isRegex() {
        return isRegex;
    }

    @JsonProperty("isEqual")
    public boolean isEqual() {
        return isEqual;
    }

    @JsonIgnore
    public String operator() {
        return (isEqual ? "=" : "!") + (isRegex ? "~" : (isEqual ? "" : "="));
    }

    @Override
    public String toString() {
        return name + operator() + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher other && name.equals(other.name) && value.equals(other.value)
                && isRegex == other.isRegex && isEqual == other.isEqual;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value, isRegex, isEqual);
    }
}
