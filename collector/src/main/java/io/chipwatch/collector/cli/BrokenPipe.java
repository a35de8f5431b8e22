package io.chipwatch.collector.cli;

import java.io.IOException;

/**
 * Recognises the error of writing to a pipe whose reader went away ({@code simulate | head}): not a failure of the
 * command, which then stops quietly with exit code 0, as Unix tools do.
 */
public final class BrokenPipe {
    private BrokenPipe() {
    }

    /** True when {@code e} or one of its causes is an {@link IOException} saying "Broken pipe". */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }
}
