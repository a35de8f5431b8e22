package io.chipwatch.cli.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The webhook receivers {@code up --webhook} gave, handed to the alerting service in a file (its
 * {@code --webhooks-file}) rather than on its command line, where any local user's {@code ps} would show the
 * tokens such URLs carry: {@code var/alerting/webhooks}, one {@code [NAME=]URL} a line, created with mode 600
 * before anything is written into it.
 */
final class AlertingWebhooks {
    private AlertingWebhooks() {
    }

    /** Where the alerting component's webhooks file is. */
    static Path file(Launch launch) {
        return launch.data().resolve("webhooks");
    }

    /** Writes {@link #file} anew (mode 600 from its creation), or removes it when there are no webhooks. */
    static void write(Launch launch, List<String> webhooks) throws IOException {
        Path file = file(launch);
        Files.deleteIfExists(file);
        if (webhooks.isEmpty()) {
            return;
        }
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, String.join("\n", webhooks) + "\n", StandardCharsets.UTF_8);
    }
}
