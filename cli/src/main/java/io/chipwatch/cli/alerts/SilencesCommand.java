package io.chipwatch.cli.alerts;

import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code alerts silences [-o table|json|csv]}: every silence (pending, active, recently expired). */
@Command(name = "silences", mixinStandardHelpOptions = true,
        description = "The silences: pending, active and recently expired.")
final class SilencesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        AlertsReports.silences(target.client().silences()).print(format, spec.commandLine().getOut());
        return 0;
    }
}
