package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.api.AlertView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code alerts ack FINGERPRINT... [--by NAME] [--comment TEXT] [--undo]}: acknowledges alerts ("I am on it": no
 * more repeat pages; the alert stays listed), or takes the acknowledgement back.
 */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledge alerts (no more repeat pages; they stay listed), or take it back with --undo.")
final class AckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlertingTarget target;

    @Parameters(paramLabel = "FINGERPRINT", arity = "1..*", description = "Alert fingerprints (alerts list shows them).")
    List<String> fingerprints;

    @Option(names = "--by", paramLabel = "NAME", description = "Who acknowledges (default: your login name).")
    String by;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why, or what you are doing about it.")
    String comment;

    @Option(names = "--undo", description = "Take the acknowledgement back.")
    boolean undo;

    @Override
    public Integer call() {
        AlertingClient client = target.client();
        PrintWriter out = spec.commandLine().getOut();
        for (String fp : fingerprints) {
            AlertView a = undo ? client.unacknowledge(fp) : client.acknowledge(fp, AlertsCommand.by(by), comment);
            out.printf("%s %s %s (%s): %s%n", undo ? "unacknowledged" : "acknowledged", a.fingerprint(),
                    a.alertname(), a.entity(), AlertsReports.state(a));
        }
        out.flush();
        return 0;
    }
}
