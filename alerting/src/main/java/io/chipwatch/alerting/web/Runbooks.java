package io.chipwatch.alerting.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The runbooks, the repository's {@code docs/runbooks/*.md}, which the build copies into this jar under
 * {@code io/chipwatch/alerting/runbooks/}: the alerting service serves them at {@code /runbooks/<name>.md}, the
 * default {@code runbook_base_url}, so the runbook link of an alert opens the page of the version that runs.
 */
public final class Runbooks {
    /** Content type they are served with: markdown as plain text, so a browser shows it instead of downloading it. */
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+\\.md|README\\.md");
    private static final String FOLDER = "/io/chipwatch/alerting/runbooks/";

    /** The runbook called {@code name} (e.g. {@code overheat.md}); empty for any other name. */
    public Optional<byte[]> runbook(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try (InputStream in = Runbooks.class.getResourceAsStream(FOLDER + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read runbook " + name, e);
        }
    }
}
