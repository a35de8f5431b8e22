package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.api.AlertView;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code alerts list [MATCHER...] [-o table|json|csv]}: the active alerts, most severe first, those the matchers pick. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "The active alerts (firing, acknowledged ones included), most severe first.")
final class ListAlertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Parameters(paramLabel = "MATCHER", arity = "0..*",
            description = "Label matchers, all must match: node=\"p00-r01-n02\", severity=critical, alertname=~\"Chip.*\".")
    List<String> matchers;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        List<Matcher> filter = AlertsCommand.matchers(spec, matchers);
        List<AlertView> alerts = target.client().alerts().stream()
                .filter(a -> filter.stream().allMatch(m -> m.matches(a.labels())))
                .toList();
        AlertsReports.alerts(alerts).print(format, spec.commandLine().getOut());
        return 0;
    }
}
