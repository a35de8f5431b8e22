package io.chipwatch.cli.alerts;

import io.chipwatch.alerting.alert.Matcher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code alerts list|ack|silence|silences|unsilence}: the on-call work of the alerting page from the command line,
 * as {@code amtool alert} / {@code amtool silence} do it for Alertmanager, against the alerting service's HTTP API.
 * Exit codes: 0 done, 1 the service failed or refused (one line says why), 2 bad arguments.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "List, acknowledge and silence alerts on the alerting service (its HTTP API).",
        subcommands = {ListAlertsCommand.class, AckCommand.class, SilenceCommand.class, SilencesCommand.class,
                UnsilenceCommand.class})
public final class AlertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Label matchers in Alertmanager's text form ({@code node="p00-r01-n02"}, {@code severity=~"crit.*"}). */
    static List<Matcher> matchers(CommandSpec spec, List<String> texts) {
        List<Matcher> out = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            try {
                out.add(Matcher.parse(text));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return out;
    }

    /** Who acts: {@code --by}, else the user's login name. */
    static String by(String by) {
        return by != null && !by.isBlank() ? by : System.getProperty("user.name", "unknown");
    }
}
