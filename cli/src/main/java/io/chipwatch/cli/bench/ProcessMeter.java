package io.chipwatch.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU time and peak resident memory of a process and of everything it started, read from Linux's {@code /proc}:
 * what {@code bench} charges to each component. CPU is {@code utime + stime} of the process and of its live
 * descendants, plus {@code cutime + cstime} (children it has already waited for); peak RSS is the largest
 * {@code VmHWM} among them. {@code /proc} counts CPU in clock ticks of {@code USER_HZ}, 100 a second on every
 * Linux architecture Chipwatch runs on.
 */
final class ProcessMeter {
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessMeter() {
    }

    /** One reading of a process; {@link #cpuSeconds} only grows while the process lives. */
    record Reading(double cpuSeconds, long peakRssBytes) {
        Reading plus(Reading other) {
            return new Reading(cpuSeconds + other.cpuSeconds, Math.max(peakRssBytes, other.peakRssBytes));
        }
    }

    /** The process and its descendants now, or empty when the process is gone. */
    static Optional<Reading> read(long pid) {
        Optional<Reading> own = readOne(pid);
        if (own.isEmpty()) {
            return own;
        }
        Reading total = own.get();
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            Optional<Reading> r = readOne(child.pid());
            if (r.isPresent()) {
                total = total.plus(r.get());
            }
        }
        return Optional.of(total);
    }

    private static Optional<Reading> readOne(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            return Optional.of(new Reading(cpuTicks(stat) / TICKS_PER_SECOND, peakRssKb(status) * 1024));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code utime + stime + cutime + cstime} (fields 14-17 of {@code /proc/PID/stat}); the command name in field 2
     * may hold spaces and parentheses, so fields are counted after its last ')'.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): field N is f[N - 3].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** {@code VmHWM} of {@code /proc/PID/status} in kB (0 for a kernel thread or a zombie, which have none). */
    static long peakRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }
}
