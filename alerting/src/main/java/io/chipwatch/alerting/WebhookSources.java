package io.chipwatch.alerting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the webhook receivers' {@code [NAME=]URL}s come from. A webhook URL often carries a token (Slack's, Teams'),
 * so the stack hands them over in a file ({@code --webhooks-file}, mode 600) or the environment ({@value #ENV}),
 * never on the command line, where any local user's {@code ps} shows it; {@code --webhook URL} stays for hand use.
 */
final class WebhookSources {
    /** Whitespace-separated {@code [NAME=]URL}s. */
    static final String ENV = "CHIPWATCH_ALERTING_WEBHOOKS";

    private WebhookSources() {
    }

    /**
     * The {@code --webhook} values, then the file's lines (blank lines and {@code #} comments skipped), else (no
     * file) the environment's {@value #ENV}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read (never its content)
     */
    static List<String> specs(List<String> options, Path file, Map<String, String> env) {
        List<String> specs = new ArrayList<>(options);
        if (file != null) {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(specs::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("--webhooks-file " + file + ": cannot read it ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            String fromEnv = env.get(ENV);
            if (fromEnv != null && !fromEnv.isBlank()) {
                specs.addAll(List.of(fromEnv.strip().split("\\s+")));
            }
        }
        return specs;
    }
}
