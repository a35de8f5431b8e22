package io.chipwatch.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reading the end of a server's log, to put the reason for a failed start into the exception; for every local server
 * started from the project (here and in other modules, e.g. alerting's Alertmanager).
 */
public final class LogFiles {

    private static final int MAX_BYTES = 64 * 1024;

    private LogFiles() {
    }

    /** The last {@code lines} lines of {@code file}, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] buffer = new byte[size];
            raf.seek(length - size);
            raf.readFully(buffer);
            List<String> all = Arrays.asList(new String(buffer, StandardCharsets.UTF_8).split("\r?\n"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The message for a failed start: what happened, where the log is and how it ends. */
    public static String failure(String what, Path logFile) {
        return what + ". Log " + logFile + " ends with:" + System.lineSeparator() + tail(logFile, 40);
    }
}
