package io.chipwatch.cli.failure;

import io.chipwatch.collector.cli.BrokenPipe;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a verb that throws prints: one line on standard error, {@code telemetry VERB: CAUSE; see LOG}, never a Java
 * stack trace; the stack trace goes to the CLI's own log ({@code var/logs/cli.log}), which the line names unless the
 * failure names a better one (a {@link CliFailure}'s log, or a message that already says "see ….log", as the stack's
 * start-up failures do). Exit code 1. A broken pipe ({@code simulate | head}) is the reader stopping, not a failure:
 * nothing printed, exit code 0.
 */
public final class FailureHandler implements IExecutionExceptionHandler {
    private static final Pattern NAMES_A_LOG = Pattern.compile("\\bsee \\S+\\.log\\b");
    /** {@code LogFiles.failure}'s form: what happened, then "Log FILE ends with:" and the log's last lines. */
    private static final Pattern LOG_TAIL = Pattern.compile("(?s)^(.*?\\bLog \\S+ ends with:)(.*)$");
    private static final int TAIL_LINES = 3;
    private static final int TAIL_LINE_CHARS = 200;

    private final Supplier<Path> cliLog;

    /** @param cliLog where the stack traces go ({@code var/logs/cli.log} of the checkout); may throw */
    public FailureHandler(Supplier<Path> cliLog) {
        this.cliLog = cliLog;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        if (BrokenPipe.is(ex)) {
            return 0;
        }
        String line = "telemetry " + verb(cmd) + ": " + cause(ex);
        String logged = writeTrace(ex, parsed);
        Path named = ex instanceof CliFailure f ? f.log() : null;
        if (named != null) {
            line += "; see " + named;
        } else if (!NAMES_A_LOG.matcher(line).find()) {
            line += logged;
        }
        cmd.getErr().println(line);
        cmd.getErr().flush();
        return 1;
    }

    private static String verb(CommandLine cmd) {
        StringBuilder path = new StringBuilder(cmd.getCommandName());
        for (CommandLine c = cmd.getParent(); c != null && c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    /** The failure in one line: its message, and the root cause when that says something more. */
    static String cause(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = oneLine(ex.getMessage() == null || ex.getMessage().isBlank()
                ? ex.getClass().getSimpleName() : shortenLogTail(ex.getMessage()));
        if (root != ex && !(ex instanceof CliFailure)) {
            String rootMessage = root.getMessage() == null ? "" : oneLine(shortenLogTail(root.getMessage()));
            if (rootMessage.isEmpty() || !text.contains(rootMessage)) {
                text += " (" + root.getClass().getSimpleName() + (rootMessage.isEmpty() ? "" : ": " + rootMessage) + ")";
            }
        }
        if (root instanceof ConnectException && !(ex instanceof CliFailure)) {
            text += "; is the stack up? ./telemetry status";
        }
        return text;
    }

    /**
     * A start-up failure's message ends with the last 40 lines of the server's log ({@code LogFiles.failure}): on one
     * line only its last {@value #TAIL_LINES} lines, each cut at {@value #TAIL_LINE_CHARS} characters, are kept; the
     * log it names holds the rest.
     */
    static String shortenLogTail(String message) {
        Matcher m = LOG_TAIL.matcher(message);
        if (!m.find()) {
            return message;
        }
        List<String> lines = m.group(2).strip().lines().filter(l -> !l.isBlank()).toList();
        StringBuilder out = new StringBuilder(m.group(1));
        for (String l : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
            String t = l.strip();
            out.append(" | ").append(t.length() <= TAIL_LINE_CHARS ? t : t.substring(0, TAIL_LINE_CHARS) + "…");
        }
        return out.toString();
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Appends the stack trace to the CLI's log; returns how the line names it. */
    private String writeTrace(Exception ex, ParseResult parsed) {
        Path log;
        try {
            log = cliLog.get();
        } catch (RuntimeException e) {
            return "";
        }
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        String entry = Instant.now() + " telemetry " + String.join(" ", parsed.originalArgs()) + "\n" + trace + "\n";
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return "; details in " + log;
        } catch (IOException e) {
            return "; could not write the details to " + log + " (" + e.getMessage() + ")";
        }
    }
}
