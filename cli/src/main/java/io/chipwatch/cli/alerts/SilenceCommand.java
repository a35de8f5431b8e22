package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.api.SilenceView;
import io.chipwatch.alerting.rules.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code alerts silence MATCHER... --duration D --comment TEXT [--by NAME]}: mutes the notifications of the alerts
 * the matchers pick (they stay listed); prints the silence's id.
 */
@Command(name = "silence", mixinStandardHelpOptions = true,
        description = "Silence the alerts the matchers pick for a while (notifications muted; the alerts stay listed). "
                + "Prints the silence's id.")
final class SilenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Parameters(paramLabel = "MATCHER", arity = "1..*",
            description = "Label matchers, all must match: node=\"p00-r01-n02\", alertname=ChipDown.")
    List<String> matchers;

    @Option(names = {"-d", "--duration"}, defaultValue = "1h", description = "How long (default ${DEFAULT-VALUE}): 30m, 4h, 1d.")
    String duration;

    @Option(names = "--comment", required = true, paramLabel = "TEXT", description = "Why (required).")
    String comment;

    @Option(names = "--by", paramLabel = "NAME", description = "Who silences (default: your login name).")
    String by;

    @Override
    public Integer call() {
        List<Matcher> parsed = AlertsCommand.matchers(spec, matchers);
        if (Durations.parse(duration).filter(d -> !d.isZero() && !d.isNegative()).isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration: \"" + duration + "\" is not a duration (" + Durations.EXAMPLE + ")");
        }
        SilenceView s = target.client().silence(parsed.stream().map(Matcher::toString).toList(), duration,
                AlertsCommand.by(by), comment);
        spec.commandLine().getOut().println(s.id());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
