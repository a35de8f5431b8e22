package io.chipwatch.cli.alerts;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Locale;

/** The {@code -o table|json} option of the {@code alerts} verbs; anything else is a usage error (exit code 2). */
final class OutputOption {
    private OutputOption() {
    }

    static Output parse(CommandSpec spec, String text) {
        try {
            return Output.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "-o: \"" + text + "\" is not an output; use table or json");
        }
    }
}
