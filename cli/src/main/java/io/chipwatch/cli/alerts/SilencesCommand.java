package io.chipwatch.cli.alerts;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code alerts silences [-o table|json]}: every silence (pending, active, recently expired). */
@Command(name = "silences", mixinStandardHelpOptions = true,
        description = "The silences: pending, active and recently expired.")
final class SilencesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() {
        Output format = OutputOption.parse(spec, output);
        format.silences(target.client().silences(), spec.commandLine().getOut());
        return 0;
    }
}
