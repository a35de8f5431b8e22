package io.chipwatch.alerting.rules;

import java.util.List;

/** The rules file cannot be used; the message names every bad field by its path, e.g. {@code rules[3].for}. */
public final class RulesException extends RuntimeException {
    private final List<String> errors;

    public RulesException(String source, List<String> errors) {
        super("invalid alert rules in " + source + ":\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One line per problem, each starting with the field's path. */
    public List<String> errors() {
        return errors;
    }
}
