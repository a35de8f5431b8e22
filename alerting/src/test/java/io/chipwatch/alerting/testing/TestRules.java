package io.chipwatch.alerting.testing;

import io.chipwatch.alerting.rules.RulesLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rules files for tests: the documented defaults, with faster group timing where a test needs it. */
public final class TestRules {
    private TestRules() {
    }

    public static String defaults() {
        try (InputStream in = RulesLoader.class.getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The defaults with group_wait 200ms and group_interval 1s, written into {@code dir}. */
    public static Path fast(Path dir) throws IOException {
        String text = defaults().replace("group_wait: 500ms", "group_wait: 200ms")
                .replace("group_interval: 10s", "group_interval: 1s");
        if (text.equals(defaults())) {
            throw new IllegalStateException("the default rules changed their route; update TestRules");
        }
        Path file = dir.resolve("fast-rules.yaml");
        Files.writeString(file, text);
        return file;
    }
}
