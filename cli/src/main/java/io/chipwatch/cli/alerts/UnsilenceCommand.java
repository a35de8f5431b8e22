package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.api.SilenceView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code alerts unsilence ID...}: expires silences now. */
@Command(name = "unsilence", mixinStandardHelpOptions = true, description = "Expire silences now.")
final class UnsilenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Silence ids (alerts silences shows them).")
    List<String> ids;

    @Override
    public Integer call() {
        AlertingClient client = target.client();
        for (String id : ids) {
            SilenceView s = client.expire(id);
            spec.commandLine().getOut().printf("expired %s (%s)%n", s.id(), s.state());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
