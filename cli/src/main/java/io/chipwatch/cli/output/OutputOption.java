package io.chipwatch.cli.output;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The one output option of every verb that prints data, a picocli mixin: {@code -o, --output table|json|csv}, and
 * {@code --json}, the deprecated spelling of {@code -o json} that some verbs had before (kept so that scripts keep
 * working). An unknown format is a usage error (exit code 2) naming the allowed ones. Verbs call {@link #format()}
 * before they do any work, so a typo fails at once, and print through {@link Report#print}.
 */
public final class OutputOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json|csv",
            description = "Output format: table (aligned columns), json or csv (default: table; for query: csv).")
    String output;

    @Option(names = "--json", description = "Deprecated: same as -o json.")
    boolean json;

    /** The chosen format; table when none was given. */
    public OutputFormat format() {
        return format(OutputFormat.table);
    }

    /**
     * The chosen format, {@code fallback} when none was given.
     *
     * @throws ParameterException (exit code 2) for an unknown format, or {@code --json} with another {@code -o}
     */
    public OutputFormat format(OutputFormat fallback) {
        if (output == null) {
            return json ? OutputFormat.json : fallback;
        }
        OutputFormat chosen = OutputFormat.named(output).orElseThrow(() -> new ParameterException(
                mixee.commandLine(), "-o/--output: unknown format '" + output + "'; use one of "
                + OutputFormat.names()));
        if (json && chosen != OutputFormat.json) {
            throw new ParameterException(mixee.commandLine(), "--json (same as -o json) contradicts -o " + output);
        }
        return chosen;
    }

    /** True when {@code -o} (or {@code --json}) was given. */
    public boolean given() {
        return output != null || json;
    }
}
