package io.chipwatch.cli.stack;

import java.util.Optional;

/**
 * Recognises the stack's own processes by pid. A pid from the state file is trusted only while its command
 * line still names this stack's var folder, so a pid reused by an unrelated process after a reboot is never signalled.
 */
public final class StackProcesses {
    private final StackLayout layout;

    public StackProcesses(StackLayout layout) {
        this.layout = layout;
    }

    /** The live process with this pid, if it is one of this checkout's stack processes. */
    public Optional<ProcessHandle> ours(Long pid) {
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(this::namesThisCheckout).orElse(false));
    }

    public boolean alive(Long pid) {
        return ours(pid).isPresent();
    }

    private boolean namesThisCheckout(String commandLine) {
        return commandLine.contains(layout.var().toString());
    }
}
