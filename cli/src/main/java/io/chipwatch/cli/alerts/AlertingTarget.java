package io.chipwatch.cli.alerts;

import io.chipwatch.cli.failure.CliFailure;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.infra.ChipwatchHome;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which alerting service the {@code alerts} verbs talk to: {@code --alerting-url} and {@code --token-file}, by
 * default the local stack's service and its token file.
 */
final class AlertingTarget {

    @Option(names = "--alerting-url", paramLabel = "URL",
            description = "The alerting service (default: the local stack's, from var/run/stack.json).")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The API's bearer token (default: ~/.config/chipwatch/alerting-token, as the service writes it).")
    Path tokenFile;

    AlertingClient client() {
        Path log = null;
        String base = url;
        if (base == null) {
            StackLayout layout = new StackLayout(ChipwatchHome.root());
            try {
                base = LocalStack.url(StackState.load(layout.stateFile()), LocalStack.ALERTING);
            } catch (IOException e) {
                throw new CliFailure("cannot read the stack's state " + layout.stateFile() + ": " + e.getMessage(),
                        null, e);
            }
            log = layout.log(LocalStack.ALERTING);
            if (base == null) {
                throw new CliFailure("no local stack: start it with ./telemetry up, or give --alerting-url", null, null);
            }
        }
        Path file = tokenFile != null ? tokenFile : LocalStack.alertingTokenFile();
        String token;
        try {
            token = Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliFailure("cannot read the alerting API's token from " + file + " (" + e.getMessage()
                    + "); the service writes it at its first start", log, e);
        }
        return new AlertingClient(base, token, log);
    }
}
